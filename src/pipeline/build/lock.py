"""One build at a time per project: a second build waits, or says one is running.

An advisory ``flock`` on ``build/build.lock``: the kernel drops it when the process ends,
however it ends, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import BuildBusyError

LOCK_NAME = "build.lock"


def _holder(handle: object) -> str:
    try:
        text = Path(handle.name).read_text(encoding="utf-8").strip()  # type: ignore[attr-defined]
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""


@contextmanager
def build_lock(
    build_dir: Path, wait: bool = True, say: Callable[[str], None] = print
) -> Iterator[None]:
    """Holds the project's build lock; waits for it (one line said) or raises BuildBusyError."""
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_NAME
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            if not wait:
                raise BuildBusyError(
                    f"a build is already running in {build_dir.parent}{holder}; "
                    "try again when it has finished"
                ) from None
            say(f"waiting for the build already running in {build_dir.parent}{holder} to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
