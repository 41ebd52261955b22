"""make preview: serves the book on 127.0.0.1, renders an edit again (only what it touched),
tells the page to reload, shows a failed render's error, and ends cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from pipeline.render import render
from pipeline.render.preview import PREVIEW_DIR, WAIT_PATH, Site, watched_files


def _get(url: str) -> str:
    with urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


class _Preview:
    """``python -m pipeline preview`` in the fixture book, its output read line by line."""

    def __init__(self, root: Path, *args: str) -> None:
        env = {**os.environ, "PIPELINE_ROOT": str(root)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "preview", *args],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def drain(self) -> str:
        """What the process wrote that no ``expect`` read (call after it ended)."""
        lines = []
        while not self.lines.empty():
            lines.append(self.lines.get())
        return "".join(lines)

    def expect(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, "".join(self.seen)
                continue
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(self.seen)}")


def test_preview_renders_an_edit_reloads_and_stops_on_ctrl_c(book: Path) -> None:
    preview = _Preview(book, "--renderer", "builtin", "--port", "0")
    try:
        url = preview.expect(r"\[preview\] (http://127\.0\.0\.1:\d+/)").group(1)
        page = _get(url)
        assert WAIT_PATH in page and "</body>" in page
        state = json.loads(_get(f"{url}{WAIT_PATH}?version=-1"))
        assert state["error"] is None

        chapter = book / "index.qmd"
        chapter.write_text(
            chapter.read_text(encoding="utf-8") + "\nEt avsnitt skrevet under forhåndsvisningen.\n",
            encoding="utf-8",
        )
        changed = json.loads(_get(f"{url}{WAIT_PATH}?version={state['version']}"))
        assert changed["version"] > state["version"] and changed["error"] is None
        assert "Et avsnitt skrevet under forhåndsvisningen." in _get(url)
        runs = preview.expect(r"rendered again in [\d.]+ s \((\d+) pandoc runs?, (\d+) reused\)")
        ran, reused = int(runs.group(1)), int(runs.group(2))
        assert 0 < ran < reused, "an edit of one chapter reran more than what it touched"

        chapter.write_text(
            chapter.read_text(encoding="utf-8") + "\nSe @fig-finnes-ikke.\n", encoding="utf-8"
        )
        broken = json.loads(_get(f"{url}{WAIT_PATH}?version={changed['version']}"))
        assert "fig-finnes-ikke" in broken["error"]
        assert "Et avsnitt skrevet under forhåndsvisningen." in _get(url)  # last good book
    finally:
        preview.proc.send_signal(signal.SIGINT)
        preview.proc.wait(timeout=60)
    rest = "".join(preview.seen) + preview.drain()
    assert preview.proc.returncode == 0, rest
    assert "[preview] stopped" in rest and "Traceback" not in rest
    assert not (book / "build" / ".preview.rendering").exists()


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_pages_rendered_again_after_edits_equal_a_full_render(book: Path) -> None:
    """The preview reuses pandoc runs between renders: its pages after two edits (prose in
    one chapter, a numbered heading and a reference in another) are a full render's bytes."""
    site = Site(book, book / PREVIEW_DIR)
    site.render()
    _append(book / "kapitler" / "innledning.qmd", "\nEt nytt avsnitt, der p < 0,05.\n")
    site.render()
    _append(book / "kapitler" / "metode.qmd", "\n## Et nytt avsnitt {#sec-nytt}\n\nSe @sec-nytt.\n")
    site.render()
    full = render(book, renderer="builtin").out_dir
    previewed = sorted(p.relative_to(site.out) for p in site.out.rglob("*") if p.is_file())
    assert previewed and any(p.suffix == ".html" for p in previewed)
    for relative in previewed:
        assert (site.out / relative).read_bytes() == (full / relative).read_bytes(), relative
    assert "Et nytt avsnitt, der p" in (site.out / "kapitler" / "innledning.html").read_text(
        encoding="utf-8"
    )


def test_the_watch_covers_sources_fragments_and_config_not_outputs(book: Path) -> None:
    (book / "_book").mkdir(exist_ok=True)
    (book / "_book" / "index.html").write_text("x", encoding="utf-8")
    (book / "build" / "preview").mkdir(parents=True)
    (book / "build" / "preview" / "side.qmd").write_text("x", encoding="utf-8")
    watched = {p.relative_to(book).as_posix() for p in watched_files(book)}
    assert {"_quarto.yml", "index.qmd", "report/_generated/_variables.yml"} <= watched
    assert not any(p.startswith(("_book/", "build/")) for p in watched)


@pytest.mark.quarto
def test_with_quarto_it_runs_quarto_preview_and_stops_on_ctrl_c(book: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    preview = _Preview(book, "--renderer", "quarto", "--port", str(port))
    try:
        preview.expect(rf"Listening on http://127\.0\.0\.1:{port}", timeout=300)
        assert 'name="generator" content="quarto-' in _get(f"http://127.0.0.1:{port}/")
    finally:
        preview.proc.send_signal(signal.SIGINT)
        preview.proc.wait(timeout=60)
    rest = "".join(preview.seen) + preview.drain()
    assert preview.proc.returncode == 0, rest
    assert "[preview] stopped" in rest and "Traceback" not in rest
