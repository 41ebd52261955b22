"""Outputs replaced whole or not at all: a failed, interrupted or killed build leaves the last
good ``data/processed/``, ``report/_generated/`` and ``_book/`` in place, and no debris.

The data stages write into copies under ``build/staging/``; the copies replace the real
folders with two renames each, with SIGINT and SIGTERM held back in between. The render
keeps a copy of the previous book and puts it back if anything goes wrong. A build that
was killed outright (SIGKILL, power loss) is tidied up by the next one, under the lock.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.paths import Paths

HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def staging_dir(paths: Paths) -> Path:
    return paths.root / "build" / "staging"


def retired(target: Path) -> Path:
    """Where ``target`` waits, for the moment between the two renames of a swap."""
    return target.with_name(f".{target.name}.old")


def debris(paths: Paths) -> list[Path]:
    """Leftovers of interrupted swaps and renders: ``._book.old``, ``._book.rendering`` and
    its side files, ``.processed.new-…``; any hidden ``.<name>.*`` beside an output folder."""
    found = [staging_dir(paths)]
    for target in (paths.processed, paths.generated, paths.book):
        if target.parent.is_dir():
            found += sorted(target.parent.glob(f".{target.name}.*"))
    return found


def recover(paths: Paths) -> None:
    """Undoes a half-done swap (the old folder comes back) and removes debris."""
    for target in (paths.processed, paths.generated, paths.book):
        old = retired(target)
        if old.exists() and not target.exists():
            old.rename(target)
    kept_book = staging_dir(paths) / "previous-book"
    if kept_book.is_dir() and not paths.book.exists():
        kept_book.rename(paths.book)
    for path in debris(paths):
        _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def signals_held() -> Iterator[None]:
    """Delays Ctrl-C and SIGTERM until a few renames are done."""
    signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)


def swap_in(staged: Path, target: Path) -> None:
    """Replaces ``target`` by ``staged`` (same file system), keeping no old copy."""
    old = retired(target)
    shutil.rmtree(old, ignore_errors=True)
    with signals_held():
        if target.exists():
            target.rename(old)
        target.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_outputs(paths: Paths) -> Iterator[tuple[Path, Path]]:
    """Copies of ``data/processed`` and ``report/_generated`` for the data stages to write.

    Only when the block ends without an exception do the copies replace the originals.
    """
    stage = staging_dir(paths)
    shutil.rmtree(stage, ignore_errors=True)
    pairs = [(paths.processed, stage / "processed"), (paths.generated, stage / "generated")]
    try:
        for real, copy in pairs:
            if real.is_dir():
                shutil.copytree(real, copy, symlinks=True)
            else:
                copy.mkdir(parents=True)
        yield pairs[0][1], pairs[1][1]
        for real, copy in pairs:
            swap_in(copy, real)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def previous_book_kept(paths: Paths) -> Iterator[None]:
    """Puts the previous ``_book/`` back if the render or the manifest fails or is stopped.

    A renderer may write into ``_book/`` in place (Quarto does), and the manifest is
    written into it afterwards; either way a half-made book never stays.
    """
    kept = staging_dir(paths) / "previous-book"
    shutil.rmtree(kept, ignore_errors=True)
    if paths.book.is_dir():
        shutil.copytree(paths.book, kept, symlinks=True)
    try:
        yield
    except BaseException:
        if kept.is_dir():
            swap_in(kept, paths.book)
        else:
            with signals_held():
                shutil.rmtree(paths.book, ignore_errors=True)
        for path in debris(paths):
            _remove(path)
        raise
    finally:
        shutil.rmtree(staging_dir(paths), ignore_errors=True)
