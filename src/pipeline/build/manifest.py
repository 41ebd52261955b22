"""Provenance of a build: what went in, which code ran, what came out, and what moved.

The manifest lets a reader of the PDF trace every number back to input files and a
commit, and lets the next build say in plain Norwegian what a new cohort changed. It
holds no timestamps, so two builds of the same commit write the same bytes.
"""

from __future__ import annotations

import csv
import json
import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from pipeline.atomic import write_text
from pipeline.build.digest import file_sha256
from pipeline.build.inputs import code_version
from pipeline.data.layout import kull_list
from pipeline.format.numbers import fmt_int, fmt_number, fmt_pct
from pipeline.paths import PATHS, Paths

PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "pandera",
    "pyarrow",
    "matplotlib",
    "seaborn",
    "papermill",
    "pypandoc_binary",
    "typst",
)
MANIFEST_NAME = "build-manifest.json"
CHANGES_NAME = "endringer.md"
# Files that describe the build rather than result from it, so they are not hashed.
UNHASHED = {MANIFEST_NAME, CHANGES_NAME}


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "ikke installert"
    return versions


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def inputs(paths: Paths) -> list[dict[str, object]]:
    """Raw files as the clean stage recorded them, plus the reference files the code reads."""
    validation = _read_json(paths.processed / "validation.json")
    rows = [
        {"path": f"data/raw/{f['path']}", "sha256": f["sha256"], "rows": f["rows"]}
        for f in validation.get("files", [])
    ]
    for ref in (paths.codebook, paths.programme):
        if ref.exists():
            rows.append(
                {
                    "path": ref.relative_to(paths.root).as_posix(),
                    "sha256": file_sha256(ref),
                    "rows": None,
                }
            )
    return sorted(rows, key=lambda r: str(r["path"]))


def provenance(paths: Paths = PATHS) -> dict[str, object]:
    """Everything about a build that is known before rendering."""
    summary = _read_json(paths.results / "summary.json")
    return {
        "code": code_version(paths.root),
        "environment": package_versions(),
        "parameters": {"as_of": summary.get("as_of"), **summary.get("parameters", {})},
        "synthetic": summary.get("synthetic"),
        "synthetic_cohorts": summary.get("synthetic_cohorts", []),
        "real_cohorts": summary.get("real_cohorts", []),
        "inputs": inputs(paths),
    }


def data_description(synthetic: list[int], real: list[int]) -> str:
    """Which cohorts are synthetic (by their markers) and which are real, in Norwegian."""
    parts = [f"kull {kull_list(synthetic)} syntetiske data"] if synthetic else []
    parts += [f"kull {kull_list(real)} virkelige svar"] if real else []
    return "; ".join(parts) or "ingen kull"


def provenance_markdown(prov: dict) -> str:
    """The human-readable part of the manifest for appendix C (included, not rendered alone)."""
    code = prov["code"]
    commit = f"`{code['commit']}`" if code.get("commit") else "ukjent (ikke en git-arbeidskopi)"
    if code.get("dirty"):
        commit += " (med lokale endringer som ikke er innsjekket)"
    params = ", ".join(f"`{k}` = {v}" for k, v in sorted(prov["parameters"].items()))
    env = prov["environment"]
    data = data_description(prov["synthetic_cohorts"], prov["real_cohorts"])
    packages = ", ".join(f"{k} {v}" for k, v in sorted(env.items()) if k != "python")
    return "\n".join(
        [
            f"- Programkode: versjon {commit}.",
            f"- Python {env['python']} med {packages}.",
            f"- Parametere: {params}.",
            f"- Datagrunnlag: {data}.",
            "",
        ]
    )


def output_hashes(paths: Paths) -> dict[str, str]:
    roots = (paths.processed, paths.generated, paths.book)
    files: Iterable[Path] = (f for r in roots if r.exists() for f in r.rglob("*") if f.is_file())
    return {
        f.relative_to(paths.root).as_posix(): file_sha256(f)
        for f in sorted(files)
        if f.name not in UNHASHED
    }


def _cohorts(results: Path) -> dict[str, dict[str, int]]:
    path = results / "participants.csv"
    if not path.exists():
        return {}
    cohorts: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = cohorts.setdefault(str(int(row["kull"])), {"groups": 0, "leaders": 0})
            entry["groups"] += 1
            entry["leaders"] += int(float(row["members"] or 0))
    return dict(sorted(cohorts.items(), key=lambda kv: int(kv[0])))


def key_figures(paths: Paths = PATHS) -> dict[str, object]:
    """The handful of figures a reader compares between editions."""
    summary = _read_json(paths.results / "summary.json")
    facts = summary.get("facts", {})
    effect = summary.get("effect", {})
    evaluation = summary.get("evaluation", {})
    return {
        "groups": facts.get("groups"),
        "leaders": facts.get("leaders"),
        "paired_groups": effect.get("paired_groups"),
        "gtei_t1": effect.get("gtei_t1"),
        "gtei_t2": effect.get("gtei_t2"),
        "improved": effect.get("improved"),
        "respondents": evaluation.get("respondents"),
        "response_rate_pct": evaluation.get("response_rate_pct"),
        "correlation_r": summary.get("correlation", {}).get("r"),
        "cohorts": _cohorts(paths.results),
    }


LABELS = {
    "groups": ("Grupper", fmt_int),
    "leaders": ("Ledere", fmt_int),
    "paired_groups": ("Grupper med to Effect-målinger", fmt_int),
    "gtei_t1": ("GTEI t1", fmt_number),
    "gtei_t2": ("GTEI t2", fmt_number),
    "improved": ("Grupper med bedret GTEI", fmt_int),
    "respondents": ("Svar på evalueringen", fmt_int),
    "response_rate_pct": ("Svarprosent", fmt_pct),
    "correlation_r": ("Korrelasjon utviklingsområder og d", fmt_number),
}


def change_summary(old: dict | None, new: dict) -> list[str]:
    """Lines like 'Kull 17 lagt til: 4 grupper, 29 ledere' and 'GTEI t2: 5,49 → 5,51'."""
    if not old:
        return ["Ingen tidligere bygg å sammenligne med."]
    lines = []
    before, after = old.get("cohorts", {}), new.get("cohorts", {})
    for kull in sorted(set(before) | set(after), key=int):
        a, b = before.get(kull), after.get(kull)
        if a is None:
            added = f"{fmt_int(b['groups'])} grupper, {fmt_int(b['leaders'])} ledere"
            lines.append(f"Kull {kull} lagt til: {added}")
        elif b is None:
            lines.append(f"Kull {kull} fjernet: {fmt_int(a['groups'])} grupper")
        elif a != b:
            moved = [
                f"{fmt_int(a[key])} → {fmt_int(b[key])} {noun}"
                for key, noun in (("groups", "grupper"), ("leaders", "ledere"))
                if a[key] != b[key]
            ]
            lines.append(f"Kull {kull} endret: {', '.join(moved)}")
    for key, (label, fmt) in LABELS.items():
        a, b = old.get(key), new.get(key)
        if a is None and b is None:
            continue
        shown_a = fmt(a) if a is not None else "–"
        shown_b = fmt(b) if b is not None else "–"
        if shown_a != shown_b:
            lines.append(f"{label}: {shown_a} → {shown_b}")
    return lines or ["Ingen av nøkkeltallene er endret siden forrige bygg."]


def build_manifest(paths: Paths = PATHS) -> dict[str, object]:
    return {
        **provenance(paths),
        "key_figures": key_figures(paths),
        "outputs": output_hashes(paths),
    }


def write_manifest(
    paths: Paths = PATHS, baseline: Path | None = None, keep: Path | None = None
) -> list[str]:
    """Writes the manifest and the change summary into ``_book/`` and returns the summary.

    The previous build's manifest is kept in ``build/manifest.json`` (``keep``), because
    rendering replaces ``_book/``; ``baseline`` overrides it.
    """
    keep = keep or paths.root / "build" / "manifest.json"
    old_path = baseline or keep
    old = _read_json(old_path).get("key_figures") if old_path.exists() else None
    manifest = build_manifest(paths)
    lines = change_summary(old, manifest["key_figures"])
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_text(paths.book / MANIFEST_NAME, text)
    changes = "# Endringer siden forrige bygg\n\n" + "".join(f"- {line}\n" for line in lines)
    write_text(paths.book / CHANGES_NAME, changes)
    write_text(keep, text)
    return lines
