"""Writing data/processed: the right files, the same bytes every time, and never half a swap."""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
import pandas as pd
import pytest

from pipeline.data import clean as clean_module
from pipeline.data.clean import OUTPUTS, clean, write_processed
from pipeline.data.validate import validate_raw
from pipeline.errors import PipelineError
from pipeline.paths import PATHS

if TYPE_CHECKING:
    from conftest import RawTree, Snapshot


def test_writes_the_five_tables_and_validation_json(raw_tree: RawTree, tmp_path: Path) -> None:
    out = tmp_path / "out" / "processed"

    raw = clean(raw_tree.root, out)

    assert {p.name for p in out.iterdir()} == OUTPUTS
    for name, frame in raw.tables().items():
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"), frame, obj=name)


def test_validation_json_records_every_input_file(raw_tree: RawTree, processed_dir: Path) -> None:
    report = json.loads((processed_dir / "validation.json").read_text(encoding="utf-8"))

    assert report["synthetic"] is True
    assert report["cohorts"] == [0, 1]
    assert report["raw_dir"] == raw_tree.root.as_posix()
    paths = [f["path"] for f in report["files"]]
    assert paths == sorted(p.relative_to(raw_tree.root).as_posix()
                           for p in raw_tree.root.glob("kull-*/*.csv"))  # fmt: skip
    effect = next(f for f in report["files"] if f["path"] == "kull-00/effect.csv")
    data = (raw_tree.root / "kull-00/effect.csv").read_bytes()
    assert effect["sha256"] == hashlib.sha256(data).hexdigest()
    assert (effect["rows"], effect["rows_excluded"], effect["excluded"]) == (12, 0, [])
    assert report["totals"] == {
        "cohorts": 2, "groups": 3, "members": 9, "effect": 15, "evaluation": 4,
        "development_areas": 9,
    }  # fmt: skip


def test_excluded_blank_rows_are_listed(raw_tree: RawTree, tmp_path: Path) -> None:
    raw_tree.rewrite("kull-01/members.csv", lambda header, rows: rows.insert(1, ["", "", "", ""]))

    clean(raw_tree.root, tmp_path / "processed")

    report = json.loads((tmp_path / "processed" / "validation.json").read_text(encoding="utf-8"))
    members = next(f for f in report["files"] if f["path"] == "kull-01/members.csv")
    assert members["rows"] == 3
    assert members["rows_excluded"] == 1
    assert members["excluded"] == [{"line": 3, "reason": "blank row"}]


def test_two_writes_give_identical_bytes(raw_tree: RawTree, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "processed", tmp_path / "b" / "processed"

    write_processed(validate_raw(raw_tree.root), first)
    write_processed(validate_raw(raw_tree.root), second)

    for name in OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_clean_never_writes_under_raw(
    raw_tree: RawTree, tmp_path: Path, snapshot: Snapshot
) -> None:
    before = snapshot(raw_tree.root)

    clean(raw_tree.root, tmp_path / "processed")
    clean(raw_tree.root, tmp_path / "processed")

    assert snapshot(raw_tree.root) == before


def test_entries_of_later_stages_are_carried_over(raw_tree: RawTree, processed_dir: Path) -> None:
    (processed_dir / "results").mkdir()
    (processed_dir / "results" / "summary.json").write_text("{}", encoding="utf-8")
    (processed_dir / "README.md").write_text("kept", encoding="utf-8")
    (processed_dir / "groups.parquet").write_bytes(b"stale")

    clean(raw_tree.root, processed_dir)

    assert (processed_dir / "results" / "summary.json").read_text(encoding="utf-8") == "{}"
    assert (processed_dir / "README.md").read_text(encoding="utf-8") == "kept"
    assert len(pd.read_parquet(processed_dir / "groups.parquet")) == 3
    assert sorted(p.name for p in processed_dir.parent.iterdir()) == ["processed", "raw"]


def test_failure_while_writing_keeps_previous_outputs(
    raw_tree: RawTree,
    processed_dir: Path,
    snapshot: Snapshot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (processed_dir / "results").mkdir()
    before = snapshot(processed_dir)
    written: list[Path] = []

    def fail_on_third(frame: pd.DataFrame, path: Path) -> None:
        written.append(path)
        if len(written) == 3:
            raise OSError("disk full")
        path.write_bytes(b"partial")

    monkeypatch.setattr(clean_module, "_write_parquet", fail_on_third)

    with pytest.raises(OSError, match="disk full"):
        clean(raw_tree.root, processed_dir)

    assert snapshot(processed_dir) == before
    assert (processed_dir / "results").is_dir()
    assert sorted(p.name for p in processed_dir.parent.iterdir()) == ["processed", "raw"]


def test_failure_during_the_swap_restores_previous_outputs(
    raw_tree: RawTree,
    processed_dir: Path,
    snapshot: Snapshot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (processed_dir / "results").mkdir()
    (processed_dir / "results" / "effect_factors.csv").write_text("x", encoding="utf-8")
    before = snapshot(processed_dir)
    rename = Path.rename

    def refuse_new_folder(self: Path, target: Path) -> Path:
        if Path(target) == processed_dir and ".new-" in self.name:
            raise OSError("rename refused")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_new_folder)

    with pytest.raises(OSError, match="rename refused"):
        clean(raw_tree.root, processed_dir)

    assert snapshot(processed_dir) == before
    assert sorted(p.name for p in processed_dir.parent.iterdir()) == ["processed", "raw"]


@pytest.mark.parametrize("inside", ["raw", "raw/kull-00", "."])
def test_refuses_an_output_folder_that_overlaps_the_raw_folder(
    raw_tree: RawTree, snapshot: Snapshot, inside: str
) -> None:
    before = snapshot(raw_tree.root)

    with pytest.raises(PipelineError, match="must not contain each other"):
        clean(raw_tree.root, raw_tree.root.parent / inside)

    assert snapshot(raw_tree.root) == before


def test_notebook_declares_literal_parameters_and_carries_no_outputs() -> None:
    notebook = nbformat.read(PATHS.notebooks / "01_clean.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]

    (parameters,) = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assignments = ast.parse(parameters.source).body
    assert {a.targets[0].id: a.value.value for a in assignments} == {
        "raw_dir": "data/raw",
        "processed_dir": "data/processed",
    }
    assert all(not c.outputs and c.execution_count is None for c in code)
