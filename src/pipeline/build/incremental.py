"""``python -m pipeline build``: every stage that is stale, under the project's lock.

This is what ``make report`` calls (DESIGN.md section 7). A stage is stale when the digest
of its inputs differs from the one recorded after its last successful run, or when its
outputs are gone; everything after a stale stage reruns too. The data stages write into
staging copies that replace the outputs only when all of them succeeded; the render,
provenance fragment and manifest replace ``_book/`` as one step.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.atomic import write_text
from pipeline.build.digest import combine, notebook_parameters
from pipeline.build.inputs import (
    DATA_STAGES,
    RENDER,
    data_stage_records,
    git_output,
    render_record,
)
from pipeline.build.lock import build_lock
from pipeline.build.staging import previous_book_kept, recover, staged_outputs
from pipeline.errors import PipelineError
from pipeline.paths import Paths
from pipeline.stats.params import ALL_COHORTS

STATE_FILE = "digests.json"
EPOCH_SOURCES = ("data", "report", "src", "notebooks", "_quarto.yml")
DEFAULTS = {"cohorts": ALL_COHORTS}


@dataclass(frozen=True)
class BuildRequest:
    """What a build is asked for: notebook parameters, the renderer and the baseline manifest."""

    params: Mapping[str, object] = field(default_factory=dict)
    renderer: str = "auto"
    baseline: Path | None = None
    wait: bool = True


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def default_epoch(root: Path) -> str:
    """The newest commit time of the inputs, so dates in the PDF do not follow the clock."""
    return git_output(root, "log", "-1", "--format=%ct", "--", *EPOCH_SOURCES) or "0"


def prepare_environment(paths: Paths) -> None:
    """Settings the notebooks' kernels and the renderers inherit, as ``make`` used to export.

    ``PYTHONPATH`` puts this project's code first: a copied ``.venv`` still points at the
    folder it was copied from, and a copy must run its own code.
    """
    src = str(paths.root / "src")
    path = os.environ.get("PYTHONPATH", "")
    if src not in path.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (src, path) if p)
    os.environ["PIPELINE_ROOT"] = str(paths.root)
    os.environ.setdefault("SOURCE_DATE_EPOCH", default_epoch(paths.root))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("MPLBACKEND", "Agg")


def resolve_parameters(
    params: Mapping[str, object], declared: Mapping[str, set[str]], today: dt.date | None = None
) -> dict[str, object]:
    """The requested parameters with today's date and every cohort as defaults.

    A parameter no notebook declares is refused (almost always a typo), and so is an
    ``as_of`` after today unless ``allow_future`` says it is meant (DESIGN.md section 8).
    """
    from pipeline.stats.params import check_as_of

    known = set().union(*declared.values())
    unknown = sorted(set(params) - known)
    if unknown:
        raise PipelineError(f"no notebook declares the parameter(s) {', '.join(unknown)}")
    resolved = {**DEFAULTS, **params}
    as_of = check_as_of(resolved.get("as_of"), resolved.get("allow_future", False), today)
    resolved["as_of"] = as_of.isoformat()
    return resolved


def check_cohorts(raw: Path, cohorts: object) -> None:
    """Refuses a ``cohorts`` selection naming a kull that has no folder, listing those that do."""
    from pipeline.data.layout import COHORT_FOLDER
    from pipeline.stats.params import parse_cohorts

    wanted = parse_cohorts(cohorts)
    if wanted is None:
        return
    present = sorted(
        int(m.group(1))
        for entry in (raw.iterdir() if raw.is_dir() else [])
        if (m := COHORT_FOLDER.fullmatch(entry.name)) and entry.is_dir()
    )
    missing = [k for k in wanted if k not in present]
    if missing:
        listed = ", ".join(str(k) for k in present) or "none"
        raise PipelineError(
            f"cohorts: no kull {', '.join(str(k) for k in missing)} in {raw}; "
            f"the cohorts there are {listed}"
        )


def forget(paths: Paths, first: str) -> None:
    """Drops the recorded digests of ``first`` and every later stage.

    The single steps (``run``, ``render``) write outputs without recording what they read,
    so the next build must not trust the records for what they replaced.
    """
    from pipeline.build.inputs import STAGE_ORDER

    state_file = paths.root / "build" / STATE_FILE
    state = _load_state(state_file)
    later = STAGE_ORDER[STAGE_ORDER.index(first) :]
    if any(name in state for name in later):
        kept = {k: v for k, v in state.items() if k not in later}
        write_text(state_file, json.dumps(kept, indent=2, sort_keys=True) + "\n")


def _outputs_present(paths: Paths, stage: str) -> bool:
    expected = {
        "clean": [paths.processed / "validation.json"],
        "statistics": [paths.results / "summary.json", paths.variables],
        "figures": [paths.generated / "figures.yml"],
        RENDER: [paths.book / "index.html", paths.book / "build-manifest.json"],
    }[stage]
    return all(p.is_file() for p in expected)


def _load_state(path: Path) -> dict[str, str]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def build(paths: Paths, request: BuildRequest, say: Callable[[str], None] = _say) -> list[str]:
    """Runs the stale stages and returns their names (empty when all was up to date)."""
    prepare_environment(paths)
    build_dir = paths.root / "build"
    with build_lock(build_dir, wait=request.wait, say=say):
        recover(paths)
        declared = {s.name: notebook_parameters(paths.notebooks / s.notebook) for s in DATA_STAGES}
        params = resolve_parameters(request.params, declared)
        check_cohorts(paths.raw, params.get("cohorts"))
        state_file = build_dir / STATE_FILE
        state = _load_state(state_file)
        records = data_stage_records(paths, params, declared)
        digests = {name: combine(record) for name, record in records.items()}
        stale = [
            s.name
            for s in DATA_STAGES
            if state.get(s.name) != digests[s.name] or not _outputs_present(paths, s.name)
        ]
        ran: list[str] = []
        if stale:
            ran = [s.name for s in DATA_STAGES][[s.name for s in DATA_STAGES].index(stale[0]) :]
            _run_data_stages(paths, ran, params)
            state = {name: digests[name] for name in digests}
            write_text(state_file, json.dumps(state, indent=2, sort_keys=True) + "\n")
        render_digest = _render_digest(paths, digests["figures"], request)
        if ran or state.get(RENDER) != render_digest or not _outputs_present(paths, RENDER):
            _render_and_record(paths, request, say)
            state[RENDER] = render_digest
            write_text(state_file, json.dumps(state, indent=2, sort_keys=True) + "\n")
            ran.append(RENDER)
        if not ran:
            say("report is up to date: no input, code or parameter changed since the last build")
        return ran


def _render_digest(paths: Paths, upstream: str, request: BuildRequest) -> str:
    from pipeline.build.renderer import resolved_renderer

    renderer = resolved_renderer(request.renderer, paths.root / "build")
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return combine(render_record(paths, upstream, renderer, epoch, request.baseline))


def _run_data_stages(paths: Paths, names: list[str], params: Mapping[str, object]) -> None:
    from pipeline.build.runner import coerce, run_stages
    from pipeline.data.crypt import readable_raw

    # Encrypted (real) cohorts are decrypted into data/decrypted first; without the key this
    # stops with one line before anything is written (DESIGN.md section 10).
    raw = readable_raw(paths.raw) if "clean" in names else paths.raw
    with staged_outputs(paths) as (processed, generated):
        base = {
            "raw_dir": str(raw),
            "processed_dir": str(processed),
            "generated_dir": str(generated),
        }
        extra = {name: coerce(str(value)) for name, value in params.items()}
        run_stages(names, base, extra, paths, progress=sys.stderr.isatty())


def _render_and_record(paths: Paths, request: BuildRequest, say: Callable[[str], None]) -> None:
    """Provenance fragment, render and manifest, with the previous book back on failure."""
    from pipeline.build.manifest import provenance, provenance_markdown, write_manifest
    from pipeline.disclosure import check_published
    from pipeline.render import render
    from pipeline.report.record import RECORD_FILE, record_paragraph

    with previous_book_kept(paths):
        prov = provenance(paths)
        write_text(paths.generated / "_proveniens.md", provenance_markdown(prov))
        write_text(paths.generated / RECORD_FILE, record_paragraph(prov))
        say(str(render(paths.root, renderer=request.renderer)))
        lines = write_manifest(paths, baseline=request.baseline)
        say("Endringer siden forrige bygg:")
        for line in lines:
            say(f"  {line}")
        say(check_published(paths))  # a disclosive book never replaces the last good one
