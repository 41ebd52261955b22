"""Fixtures: a tiny valid raw tree in tmp_path, and helpers to break it one cell at a time."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.data.clean import clean
from pipeline.data.codebook import Codebook, load_codebook
from pipeline.data.marker import write_marker

Snapshot = Callable[[Path], dict[str, tuple[str, int]]]


class RawTree:
    """A raw data folder written as plain CSV (one row per line, so line = row index + 2)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write_csv(
        self,
        rel: str,
        header: list[str],
        rows: list[list[str]],
        *,
        separator: str = ",",
        encoding: str = "utf-8",
    ) -> Path:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return self.write_bytes(rel, buffer.getvalue().encode(encoding))

    def write_bytes(self, rel: str, data: bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def read_csv(self, rel: str) -> tuple[list[str], list[list[str]]]:
        header, *rows = csv.reader(io.StringIO((self.root / rel).read_text(encoding="utf-8")))
        return header, rows

    def rewrite(self, rel: str, edit: Callable[[list[str], list[list[str]]], None]) -> None:
        """Reads a CSV, lets ``edit`` change header and rows in place, writes it back."""
        header, rows = self.read_csv(rel)
        edit(header, rows)
        self.write_csv(rel, header, rows)

    def set_cell(self, rel: str, line: int, column: str, value: str) -> None:
        def edit(header: list[str], rows: list[list[str]]) -> None:
            rows[line - 2][header.index(column)] = value

        self.rewrite(rel, edit)

    def drop_column(self, rel: str, column: str) -> None:
        def edit(header: list[str], rows: list[list[str]]) -> None:
            position = header.index(column)
            for row in [header, *rows]:
                del row[position]

        self.rewrite(rel, edit)

    def rename_column(self, rel: str, old: str, new: str) -> None:
        def edit(header: list[str], rows: list[list[str]]) -> None:
            header[header.index(old)] = new

        self.rewrite(rel, edit)

    def add_column(self, rel: str, column: str, value: str) -> None:
        def edit(header: list[str], rows: list[list[str]]) -> None:
            header.append(column)
            for row in rows:
                row.append(value)

        self.rewrite(rel, edit)

    def copy_row(self, rel: str, line: int) -> None:
        """Appends a copy of a row: the classic double paste."""

        def edit(header: list[str], rows: list[list[str]]) -> None:
            rows.append(list(rows[line - 2]))

        self.rewrite(rel, edit)

    def header_only(self, rel: str) -> None:
        def edit(header: list[str], rows: list[list[str]]) -> None:
            rows.clear()

        self.rewrite(rel, edit)

    def lines(self, rel: str) -> int:
        """How many physical lines the file has, header included."""
        return len((self.root / rel).read_text(encoding="utf-8").splitlines())


def _snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Content hash and modification time of every file under ``root``."""
    return {
        path.relative_to(root).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _scores(codebook: Codebook, seed: int) -> list[str]:
    """Deterministic scores with a blank, a half point and each end of the scale."""
    values = [str((seed + n) % 7 + 1) for n in range(len(codebook.factor_keys))]
    values[seed % len(values)] = ""
    values[(seed + 3) % len(values)] = "5.5"
    return values


def write_valid_tree(tree: RawTree, codebook: Codebook) -> None:
    """Two cohorts: kull-00 has ended (waves 1 and 2, evaluation), kull-01 still runs.

    Both carry a synthetic marker, so editing a file afterwards makes its cohort real.
    """
    tree.write_bytes("README.md", b"# raw data\n")
    cohorts = {0: ["G001", "G002"], 1: ["G101"]}
    for kull, group_ids in cohorts.items():
        folder = f"kull-{kull:02d}"
        ended = kull == 0
        tree.write_csv(
            f"{folder}/groups.csv",
            ["group_id", "kull", "organisation", "org_type", "start_date", "end_date"],
            [
                [
                    gid,
                    f"{kull:02d}",
                    f"Organisasjon {gid} for økonomistyring",
                    "departement" if n == 0 else "direktorat",
                    f"201{kull + 5}-01-1{n}",
                    f"201{kull + 6}-06-1{n}" if ended else "",
                ]
                for n, gid in enumerate(group_ids)
            ],
        )
        tree.write_csv(
            f"{folder}/members.csv",
            ["member_id", "group_id", "gender", "age"],
            [
                [f"00{m}", gid, "kvinne" if m % 2 else "mann", str(40 + m)]
                for gid in group_ids
                for m in range(1, 4)
            ],
        )
        waves = [1, 2] if ended else [1]
        tree.write_csv(
            f"{folder}/effect.csv",
            ["respondent_id", "group_id", "wave", *codebook.factor_keys],
            [
                [f"r{r}", gid, str(wave), *_scores(codebook, n * 7 + wave * 3 + r)]
                for n, gid in enumerate(group_ids)
                for wave in waves
                for r in range(1, 4)
            ],
        )
        tree.write_csv(
            f"{folder}/development_areas.csv",
            ["group_id", "factor"],
            [[gid, key] for gid in group_ids for key in codebook.factor_keys[:3]],
        )
        if ended:
            labels = [*codebook.answer_labels, "", "  helt ENIG "]
            tree.write_csv(
                f"{folder}/evaluation.csv",
                ["respondent_id", "group_id", *codebook.item_keys],
                [
                    [f"e{r}", gid, *(labels[(r + i) % len(labels)] for i in range(18))]
                    for gid in group_ids
                    for r in range(1, 3)
                ],
            )
        write_marker(tree.root / folder, "test data")


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return load_codebook()


@pytest.fixture
def snapshot() -> Snapshot:
    """Takes a fingerprint of a folder, to prove that a run wrote nothing in it."""
    return _snapshot


@pytest.fixture
def raw_tree(tmp_path: Path, codebook: Codebook) -> RawTree:
    tree = RawTree(tmp_path / "data" / "raw")
    write_valid_tree(tree, codebook)
    return tree


@pytest.fixture
def processed_dir(raw_tree: RawTree, tmp_path: Path) -> Path:
    """Outputs of a good run, as a later failed run must leave them."""
    out = tmp_path / "data" / "processed"
    clean(raw_tree.root, out)
    return out
