"""The ``python -m pipeline`` commands (DESIGN.md section 5), and nothing else."""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.paths import PATHS


def _synth(args: argparse.Namespace) -> int:
    from pipeline.data.synth import write_synthetic

    summary = write_synthetic(Path(args.out), seed=args.seed, scale=args.scale)
    print(summary)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from pipeline.data.crypt import encrypted_cohorts, readable_raw
    from pipeline.data.guard import tracked_leaks
    from pipeline.data.validate import validate_raw

    raw_dir = Path(args.raw_dir)
    for leak in tracked_leaks(raw_dir):
        print(f"warning: {leak}", file=sys.stderr)
    if encrypted_cohorts(raw_dir):  # decrypting replaces data/decrypted: not under a build
        with _project_lock():
            raw = validate_raw(readable_raw(raw_dir))
    else:
        raw = validate_raw(raw_dir)
    print(raw.summary())
    for note in raw.notes:
        print(f"  note: {note}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from pipeline.build.runner import STAGE_NAMES, coerce, run_stages, unknown_parameters

    extra = {name: coerce(value) for name, value in args.param}
    unknown = unknown_parameters(extra)
    if unknown:
        raise PipelineError(f"no notebook declares the parameter(s) {', '.join(unknown)}")
    names = [args.stage] if args.stage else list(STAGE_NAMES)
    from pipeline.build.incremental import forget

    with _project_lock():
        raw = Path(args.raw)
        if "clean" in names:  # the one stage that reads data/raw; it fails here, before writing
            from pipeline.data.crypt import readable_raw

            raw = readable_raw(raw)
        base = {
            "raw_dir": str(raw.resolve()),
            "processed_dir": str(Path(args.processed).resolve()),
            "generated_dir": str(PATHS.generated),
        }
        forget(PATHS, names[0])
        # papermill's cell progress bar helps on a terminal and clutters CI logs.
        run_stages(names, base, extra, progress=sys.stderr.isatty() and not args.quiet)
    return 0


def _project_lock() -> AbstractContextManager[None]:
    """The build lock, so a single step never runs inside a `make report` of the same project."""
    from pipeline.build.lock import build_lock

    return build_lock(PATHS.root / "build", say=lambda line: print(line, file=sys.stderr))


def _render(args: argparse.Namespace) -> int:
    import os

    from pipeline.build.incremental import default_epoch, forget
    from pipeline.render import render

    os.environ.setdefault("SOURCE_DATE_EPOCH", default_epoch(PATHS.root))
    with _project_lock():
        forget(PATHS, "render")
        result = render(PATHS.root, renderer=args.renderer)
    print(result)
    return 0


def _provenance(args: argparse.Namespace) -> int:
    from pipeline.atomic import write_text
    from pipeline.build.manifest import provenance, provenance_markdown
    from pipeline.report.record import RECORD_FILE, record_paragraph

    target = PATHS.generated / "_proveniens.md"
    prov = provenance()
    write_text(target, provenance_markdown(prov))
    write_text(PATHS.generated / RECORD_FILE, record_paragraph(prov))
    print(f"wrote {target.relative_to(PATHS.root)} and {RECORD_FILE}")
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from pipeline.build.manifest import write_manifest

    baseline = Path(args.baseline) if args.baseline else None
    lines = write_manifest(baseline=baseline)
    print("Endringer siden forrige bygg:")
    for line in lines:
        print(f"  {line}")
    return 0


def _encrypt(args: argparse.Namespace) -> int:
    from pipeline.data.crypt import encrypt_cohort, load_recipients

    recipients = load_recipients()
    for folder in map(Path, args.folders):
        written = encrypt_cohort(folder, recipients, keep=args.keep)
        names = ", ".join(p.name for p in written)
        left = (
            "kept the plain files (do not commit them)" if args.keep else "removed the plain files"
        )
        print(f"encrypted {folder}: {names}; {left}")
    return 0


def _decrypt(args: argparse.Namespace) -> int:
    from pipeline.data.crypt import encrypted_cohorts, readable_raw

    raw_dir = Path(args.raw_dir)
    cohorts = encrypted_cohorts(raw_dir)
    if not cohorts:
        print(f"{raw_dir} holds no encrypted cohort; nothing to decrypt")
        return 0
    with _project_lock():
        work = readable_raw(raw_dir)
    names = ", ".join(c.name for c in cohorts)
    print(f"decrypted {names} into {work} (git-ignored; the build reads it)")
    return 0


def _keygen(args: argparse.Namespace) -> int:
    from pipeline.data.crypt import RECIPIENTS, generate_key

    public = generate_key(Path(args.out))
    print(f"wrote a private key to {args.out} (keep it there; never in the repository)")
    print(f"public key: {public}")
    print(f"add the public key as a line of {RECIPIENTS.relative_to(PATHS.root)} and commit it")
    return 0


def _edition(args: argparse.Namespace) -> int:
    import datetime as dt

    from pipeline.report.publication import RECORD, edition, load_record, newest_recorded

    record = load_record(Path(args.record) if args.record else RECORD)
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else newest_recorded(record)
    as_of = as_of or dt.date.today()
    ed = edition(as_of, record)
    if args.github_output:
        print(f"as_of={as_of.isoformat()}")
        print(f"publish={'false' if ed.draft else 'true'}")
    elif ed.draft:
        print(f"{as_of}: draft (Utkast, {ed.shown_date}); not in report/publisering.yml")
    else:
        print(f"{as_of}: published {ed.publication_date} (report/publisering.yml)")
    return 0


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _build(args: argparse.Namespace) -> int:
    import signal

    from pipeline.build.incremental import BuildRequest, build
    from pipeline.paths import Paths, find_root

    root = find_root(Path(args.project)) if args.project else PATHS.root
    request = BuildRequest(
        params=dict(args.param),
        renderer=args.renderer,
        baseline=Path(args.baseline).resolve() if args.baseline else None,
        wait=not args.no_wait,
    )
    signal.signal(signal.SIGTERM, _stop)  # a stopped build tidies up as after Ctrl-C
    build(Paths(root), request)
    return 0


def _disclosure(args: argparse.Namespace) -> int:
    from pipeline.disclosure import check_published

    print(check_published(PATHS))
    return 0


def _profiles(args: argparse.Namespace) -> int:
    from pipeline.paths import Paths, find_root
    from pipeline.profiles.build import build_profiles
    from pipeline.profiles.data import edition_for
    from pipeline.stats.params import MIN_RESPONDENTS, parse_as_of

    params = dict(args.param)
    as_of = parse_as_of(params.pop("as_of", ""))
    min_respondents = int(params.pop("min_respondents", MIN_RESPONDENTS))
    cohorts = params.pop("cohorts", "all")
    paths = Paths(find_root(Path(args.project)) if args.project else PATHS.root)
    if args.list:
        edition = edition_for(paths.processed, as_of, min_respondents, cohorts)
        for group_id in edition.group_ids:
            row = edition.groups.loc[edition.groups["group_id"] == group_id].iloc[0]
            print(f"{group_id}\tkull {int(row['kull']):>2}\t{row['organisation']}")
        return 0
    if args.group is not None and not args.group.strip():
        raise PipelineError(
            "GROUP is empty: make profile GROUP=ID (list the ids: make profiles-list)"
        )
    build_profiles(
        paths, as_of, min_respondents, group=args.group, workers=args.workers, cohorts=cohorts
    )
    return 0


def _preview(args: argparse.Namespace) -> int:
    import os

    from pipeline.render.preview import preview

    code = preview(PATHS.root, renderer=args.renderer, port=args.port)
    sys.stdout.flush()
    sys.stderr.flush()
    # A render still running in the watcher thread (its pandoc pool) must not hold up
    # Ctrl-C: the server is closed and the staging folder gone, so nothing is left to wait for.
    os._exit(code)


RENDERERS = ("auto", "quarto", "builtin")
"""``pipeline.render.RENDERERS``, repeated because importing the render package costs every
command most of a second; tests/test_defaults.py keeps the two equal."""
PORT = 4848
"""``make preview``'s port (the Makefile's ``PORT``, kept equal by the same test)."""


def _add_params(p: argparse.ArgumentParser, help_text: str) -> None:
    """The ``-p NAME VALUE`` option of run, build and profiles (repeatable)."""
    p.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help=help_text,
    )


def _add_renderer(p: argparse.ArgumentParser) -> None:
    p.add_argument("--renderer", choices=RENDERERS, default=RENDERERS[0])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Rebuild the 'Konstruktiv uro' report from raw survey exports.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("synth", help="write a synthetic data/raw tree calibrated to 2019")
    p.add_argument("--out", required=True, help="folder to write kull-NN/ folders into")
    p.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    p.add_argument("--scale", type=int, default=1, help="multiply the groups (benchmarks)")
    p.set_defaults(func=_synth)

    p = sub.add_parser("validate", help="check raw data against the contract; list every problem")
    p.add_argument("raw_dir", nargs="?", default=str(PATHS.raw), help="default data/raw")
    p.set_defaults(func=_validate)

    from pipeline.build.inputs import DATA_STAGES

    p = sub.add_parser("run", help="execute the notebooks with papermill, stage by stage")
    p.add_argument("--raw", default=str(PATHS.raw), help="raw data folder (default data/raw)")
    p.add_argument("--processed", default=str(PATHS.processed), help="default data/processed")
    p.add_argument("--stage", choices=[s.name for s in DATA_STAGES], help="run only this stage")
    _add_params(p, "parameter for every notebook that declares it, e.g. -p as_of 2019-06-30")
    p.add_argument("--quiet", action="store_true", help="no papermill progress bar")
    p.set_defaults(func=_run)

    p = sub.add_parser("render", help="render the book to _book/ (HTML and PDF)")
    _add_renderer(p)
    p.set_defaults(func=_render)

    p = sub.add_parser("provenance", help="write appendix C's provenance fragment")
    p.set_defaults(func=_provenance)

    p = sub.add_parser("encrypt", help="encrypt a real cohort's files to .age (keys: README)")
    p.add_argument("folders", nargs="+", metavar="FOLDER", help="e.g. data/raw/kull-17")
    p.add_argument("--keep", action="store_true", help="keep the plain files (never commit them)")
    p.set_defaults(func=_encrypt)

    p = sub.add_parser("decrypt", help="decrypt the encrypted cohorts into data/decrypted/")
    p.add_argument("raw_dir", nargs="?", default=str(PATHS.raw), help="default data/raw")
    p.set_defaults(func=_decrypt)

    p = sub.add_parser("keygen", help="make an age key pair for the encrypted cohorts")
    p.add_argument("out", help="where to write the private key (outside the project)")
    p.set_defaults(func=_keygen)

    p = sub.add_parser("edition", help="say whether an edition is published or a draft")
    p.add_argument("--as-of", help="the edition's data date (default: newest published, or today)")
    p.add_argument("--github-output", action="store_true", help="as_of=… and publish=… lines")
    p.add_argument("--record", help="the publication record (default report/publisering.yml)")
    p.set_defaults(func=_edition)

    p = sub.add_parser("manifest", help="write _book/build-manifest.json and the change summary")
    p.add_argument("--baseline", help="compare with this manifest instead of the last build's")
    p.set_defaults(func=_manifest)

    p = sub.add_parser(
        "build",
        help="what make report does: every stale stage, render, provenance and manifest",
        description="Reruns each stage whose inputs (files, code, parameters, renderer) "
        "changed by content, one build at a time per project.",
    )
    _add_params(p, "notebook parameter, e.g. -p as_of 2019-06-30 -p cohorts 0-7")
    _add_renderer(p)
    p.add_argument("--baseline", help="compare with this manifest instead of the last build's")
    p.add_argument("--project", help="project folder (default: the one this runs in)")
    p.add_argument(
        "--no-wait", action="store_true", help="exit at once if a build is already running"
    )
    p.set_defaults(func=_build)

    p = sub.add_parser(
        "profiles",
        help="every group's confidential Effect profile → _profiles/kull-NN/<group_id>.pdf",
        description="Runs notebooks/04_profile.ipynb for each group with wave-1 answers by "
        "as_of whose inputs changed (or for --group alone), into _profiles/.",
    )
    _add_params(p, "-p as_of 2019-06-30, -p cohorts 0-7, -p min_respondents 4 (others are ignored)")
    p.add_argument("--group", help="build this group_id only (always rebuilt)")
    p.add_argument("--list", action="store_true", help="list the groups that get a profile")
    p.add_argument("--workers", type=int, default=2, help="kernels in parallel (default 2)")
    p.add_argument("--project", help="project folder (default: the one this runs in)")
    p.set_defaults(func=_profiles)

    p = sub.add_parser("disclosure", help="disclosure control over _book/ (make report runs it)")
    p.set_defaults(func=_disclosure)

    p = sub.add_parser(
        "preview",
        help="serve the HTML book on 127.0.0.1 and render it again on every edit (Ctrl-C ends)",
    )
    _add_renderer(p)
    p.add_argument("--port", type=int, default=PORT, help=f"0 picks a free port (default {PORT})")
    p.set_defaults(func=_preview)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the previous outputs are left as they were", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
