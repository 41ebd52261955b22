"""Keeps personal data out of git history: no real cohort, no decrypted copy, no private key.

What git holds (its index: what the next commit records, or in CI what was pushed) is
checked, not the working folder: under ``data/raw`` a cohort folder whose files match its
``SYNTHETIC`` marker is synthetic and may be plain; any other cohort is real and may hold
only ``.age`` files. Nothing under ``data/decrypted`` may be tracked, and no file may hold an
age private key. The pre-commit hook (``.githooks/pre-commit``), CI's first step and
``validate`` (as a warning) run this. Standard library only, so it runs before any set-up:
``PYTHONPATH=src python3 -m pipeline.data.guard [--staged]``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.data.marker import MARKER, is_synthetic_listing, sha256_bytes

RAW = "data/raw"
DECRYPTED = "data/decrypted"
ENCRYPTED_SUFFIX = ".age"
ALLOWED_AT_TOP = {"README.md"}
COHORT_DIR = re.compile(r"kull-\d\d")
# An age private key: the prefix and 58 bech32 characters (written so this file does not match).
SECRET_KEY = "AGE-SECRET-KEY-1" + "[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"


def _allowed_at_top(rel: tuple[str, ...]) -> bool:
    """The raw folder's README and hidden files (``.gitkeep``) are not data."""
    return len(rel) == 1 and (rel[0] in ALLOWED_AT_TOP or rel[0].startswith("."))


@dataclass(frozen=True)
class Leak:
    """A tracked path that must not be in git, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def find_leaks(
    files: Mapping[str, bytes], raw: str = RAW, decrypted: str = DECRYPTED
) -> list[Leak]:
    """The leaks among tracked files (repository path → content)."""
    leaks: list[Leak] = []
    cohorts: dict[str, dict[str, bytes]] = {}
    for path in sorted(files):
        parts = PurePosixPath(path)
        if parts.is_relative_to(decrypted):
            leaks.append(Leak(path, "the decrypted working folder is never committed"))
            continue
        if not parts.is_relative_to(raw):
            continue
        rel = parts.relative_to(raw).parts
        if len(rel) == 2 and COHORT_DIR.fullmatch(rel[0]):
            cohorts.setdefault(rel[0], {})[rel[1]] = files[path]
        elif not path.endswith(ENCRYPTED_SUFFIX) and not _allowed_at_top(rel):
            leaks.append(Leak(path, "a plain file in the raw data outside a cohort folder"))
    for name, content in sorted(cohorts.items()):
        marker = content.get(MARKER)
        digests = {f: sha256_bytes(data) for f, data in content.items()}
        if is_synthetic_listing(marker.decode("utf-8", "replace") if marker else None, digests):
            continue
        plain = [f for f in sorted(content) if not f.endswith(ENCRYPTED_SUFFIX)]
        if plain:
            reason = (
                f"a real cohort in the clear ({', '.join(plain)}; no SYNTHETIC marker matching "
                f"its files): encrypt it with python -m pipeline encrypt {raw}/{name}"
            )
            leaks.append(Leak(f"{raw}/{name}", reason))
    return leaks


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", *args], cwd=root, input=data, capture_output=True, check=True
    ).stdout


def repository_root(path: Path) -> Path | None:
    """The git work tree holding ``path``, or None outside one (or without git)."""
    try:
        top = _git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    except (OSError, subprocess.CalledProcessError):
        return None
    return Path(top.decode().strip())


def index_files(root: Path, *prefixes: str) -> dict[str, bytes]:
    """Path → content of the files under ``prefixes`` as git's index holds them."""
    listing = _git(root, "ls-files", "-s", "-z", "--", *prefixes).split(b"\0")
    blobs = {}
    for line in filter(None, listing):
        meta, path = line.split(b"\t", 1)
        blobs[path.decode()] = meta.split()[1].decode()
    if not blobs:
        return {}
    out = _git(root, "cat-file", "--batch", data="".join(f"{b}\n" for b in blobs.values()).encode())
    files: dict[str, bytes] = {}
    pos = 0
    for path in blobs:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        files[path] = out[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return files


def working_files(root: Path, *prefixes: str) -> dict[str, bytes]:
    """Path → content of the files under ``prefixes`` on disk (for a folder without git)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for prefix in prefixes
        if (root / prefix).is_dir()
        for path in sorted((root / prefix).rglob("*"))
        if path.is_file()
    }


def staged_paths(root: Path) -> set[str]:
    """Paths the next commit adds, changes or removes."""
    out = _git(root, "diff", "--cached", "--name-only", "-z", "--no-renames")
    return {p.decode() for p in out.split(b"\0") if p}


def secret_key_files(root: Path) -> list[str]:
    """Tracked files that hold an age private key."""
    done = subprocess.run(
        ["git", "grep", "--cached", "-l", "-I", "-E", "-e", SECRET_KEY],
        cwd=root,
        capture_output=True,
        check=False,
    )
    return sorted(done.stdout.decode().split())


def check_repository(root: Path, staged_only: bool = False) -> list[Leak]:
    """The leaks git would record; ``staged_only`` keeps those in folders the commit touches."""
    leaks = find_leaks(index_files(root, RAW, DECRYPTED))
    key = "holds an age private key (AGE-SECRET-KEY-1…)"
    leaks += [Leak(path, key) for path in secret_key_files(root)]
    if staged_only:
        staged = staged_paths(root)
        touched = {str(PurePosixPath(p).parent) for p in staged}
        leaks = [k for k in leaks if {k.path, str(PurePosixPath(k.path).parent)} & touched]
    return leaks


def tracked_leaks(raw_dir: Path) -> list[Leak]:
    """``validate``'s warning: real cohorts of ``raw_dir`` that git tracks in the clear."""
    raw_dir = raw_dir.resolve()
    root = repository_root(raw_dir) if raw_dir.is_dir() else None
    if root is None:
        return []
    raw = raw_dir.relative_to(root.resolve()).as_posix()
    return find_leaks(index_files(root, raw), raw=raw)


def all_synthetic(raw_dir: Path) -> bool:
    """Whether every cohort folder in the working tree is synthetic (CI may then show more)."""
    from pipeline.data.marker import is_synthetic_cohort

    cohorts = [p for p in raw_dir.iterdir() if p.is_dir() and COHORT_DIR.fullmatch(p.name)]
    return all(is_synthetic_cohort(p) for p in cohorts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.data.guard",
        description="Refuse personal data in git: plain real cohorts, decrypted copies, keys.",
    )
    parser.add_argument("--staged", action="store_true", help="only what the commit touches")
    parser.add_argument(
        "--github-output", action="store_true", help="append all_synthetic=true|false to it"
    )
    args = parser.parse_args(argv)
    root = repository_root(Path.cwd())
    if root is None:  # a copy without git (an unpacked archive): what would be built counts
        root = Path.cwd()
        leaks = find_leaks(working_files(root, RAW, DECRYPTED))
    else:
        leaks = check_repository(root, staged_only=args.staged)
    for leak in leaks:
        print(f"refused: {leak}", file=sys.stderr)
    if leaks:
        what = "this commit is refused" if args.staged else "nothing is built from it"
        print(
            f"{len(leaks)} path(s) would put personal data in git history; {what}. "
            "Unstage them (git rm --cached FILE); see the README, 'Real data, end to end'.",
            file=sys.stderr,
        )
        return 1
    if args.github_output:
        flag = "true" if all_synthetic(root / RAW) else "false"
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
            handle.write(f"all_synthetic={flag}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
