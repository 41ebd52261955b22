"""The per-cohort synthetic marker: which cohort folders hold synthetic data (DESIGN.md §10).

``synth`` writes a ``SYNTHETIC`` file into each cohort folder it makes, listing the
SHA-256 digest of every file it wrote (``sha256sum`` format, so ``sha256sum -c`` checks
it too). A folder counts as synthetic only while its files are exactly those files with
those digests: a copy with an edited, added or removed file is real data, and is treated
(and protected) as such. Standard library only, so the git hook and CI can use it before
anything is installed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

MARKER = "SYNTHETIC"
_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Streamed, so a large export or PDF is never held in memory whole (the build's
    digests use it too, as ``pipeline.build.digest.file_sha256``)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def counts_for_marker(name: str) -> bool:
    """Whether a file in a cohort folder is covered by the marker.

    Hidden files and spreadsheet leftovers (``.DS_Store``, ``~$x.xlsx``) are never read
    as data, so they neither spoil a synthetic folder nor hide anything the build reads.
    """
    return name != MARKER and not name.startswith((".", "~$"))


def marker_text(note: str, digests: Mapping[str, str]) -> str:
    """A comment line saying what the folder is, then one ``digest  name`` line per file."""
    lines = [f"# {note}"] + [f"{digests[name]}  {name}" for name in sorted(digests)]
    return "\n".join(lines) + "\n"


def parse_marker(text: str) -> dict[str, str] | None:
    """The digests a marker records, or None when it is not a marker ``synth`` wrote."""
    digests: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            return None
        digests[match.group(2)] = match.group(1)
    return digests or None


def is_synthetic_listing(marker: str | None, files: Mapping[str, str]) -> bool:
    """Whether a folder with these files (name → SHA-256) and marker text is synthetic."""
    if marker is None:
        return False
    recorded = parse_marker(marker)
    present = {name: digest for name, digest in files.items() if counts_for_marker(name)}
    return recorded is not None and recorded == present


def folder_digests(folder: Path) -> dict[str, str]:
    """Name → SHA-256 of the files directly in ``folder`` that the marker covers."""
    return {
        entry.name: sha256_file(entry)
        for entry in sorted(folder.iterdir())
        if counts_for_marker(entry.name) and entry.is_file()
    }


def is_synthetic_cohort(folder: Path) -> bool:
    """A cohort folder is synthetic while its files match its marker (and it has only files)."""
    marker = folder / MARKER
    if not marker.is_file():
        return False
    if any(p.is_dir() for p in folder.iterdir() if counts_for_marker(p.name)):
        return False
    return is_synthetic_listing(marker.read_text(encoding="utf-8"), folder_digests(folder))


def write_marker(folder: Path, note: str) -> None:
    """Records the digests of the files now in ``folder`` (call it after writing them)."""
    text = marker_text(note, folder_digests(folder))
    (folder / MARKER).write_text(text, encoding="utf-8")
