"""The writer's loop: serve the HTML book on 127.0.0.1 and reload it on every edit.

``make preview`` runs :func:`preview`. With the built-in renderer the book is rendered
(HTML only) into ``build/preview/``, served from there, and rendered again whenever a
``.qmd``, ``_quarto.yml``, a filter or a generated fragment or figure changes. Pandoc runs
are remembered between renders (:class:`~pipeline.render.pandoc.PandocMemo`), so an edit
costs the chapter it touched, the book-wide numbering pass and the pages whose content
changed. Each page served carries a small script that waits on ``/__preview__/wait`` and
reloads when the render it shows is superseded, or shows the render's error instead.

With Quarto as the renderer, ``quarto preview`` does all of this itself; the loop here
only keeps ``_variables.yml`` beside ``_quarto.yml`` in step with the generated one.
Ctrl-C ends either cleanly (exit status 0, the port closed, no staging folder left).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pipeline.errors import PipelineError
from pipeline.render import resolve_renderer, with_edition_date
from pipeline.render.analysis import analyse
from pipeline.render.book import load_book
from pipeline.render.html import write_site
from pipeline.render.pandoc import PandocMemo
from pipeline.render.quarto import quarto_executable
from pipeline.render.staging import staging_for, swap_in
from pipeline.render.variables import load_variables, sync_variables

HOST = "127.0.0.1"
PREVIEW_DIR = Path("build") / "preview"
WAIT_PATH = "/__preview__/wait"
POLL_SECONDS = 0.1
LONG_POLL_SECONDS = 25.0

RELOAD_SCRIPT = """<script>
(function () {
  var version = %(version)d;
  function wait() {
    fetch("%(path)s?version=" + version, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (state.error) { show(state.error); version = state.version; wait(); }
        else if (state.version !== version) { location.reload(); }
        else { wait(); }
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  function show(message) {
    var box = document.getElementById("preview-error") || document.createElement("pre");
    box.id = "preview-error";
    box.style.cssText = "position:fixed;bottom:0;left:0;right:0;margin:0;padding:1em;" +
      "max-height:40%%;overflow:auto;background:#fff3f3;color:#8a1010;" +
      "border-top:3px solid #8a1010;z-index:9999;white-space:pre-wrap";
    box.textContent = message;
    document.body.appendChild(box);
  }
  wait();
})();
</script>
"""


WATCHED_SUFFIXES = frozenset(
    {".qmd", ".md", ".yml", ".yaml", ".lua", ".png", ".svg", ".jpg", ".jpeg", ".typ", ".css"}
)
"""What a render reads: sources, includes, generated fragments and figures, config, filters."""

SKIPPED_FOLDERS = frozenset(
    {"build", "data", "docs", "benchmarks", "node_modules", "notebooks", "tests", "__pycache__"}
)
"""Folders that hold no book input (or hold the output): not walked on every poll."""


def watched_files(root: Path, output_dir: str = "_book") -> dict[Path, tuple[int, int]]:
    """Every file a render may read below ``root``, with its modification time and size."""
    found = {}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith(".") and name not in SKIPPED_FOLDERS and name != output_dir
        ]
        for name in files:
            if os.path.splitext(name)[1] in WATCHED_SUFFIXES:
                path = Path(folder, name)
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


class Site:
    """The rendered preview and its version; each render that succeeds bumps the version."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out
        self.version = 0
        self.error: str | None = None
        self._memo = PandocMemo()
        self._changed = threading.Condition()

    def render(self) -> str:
        """Render the HTML book into ``out``; return what it cost, for the terminal."""
        started = time.perf_counter()
        try:
            sync_variables(self.root)
            book = with_edition_date(load_book(self.root), load_variables(self.root))
            staging = staging_for(self.out)
            staging.mkdir()
            try:
                with self._memo:
                    write_site(analyse(book), staging)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            swap_in(staging, self.out)
        except PipelineError as exc:
            self._publish(str(exc))
            raise
        self._publish(None)
        memo = self._memo
        return (
            f"{time.perf_counter() - started:.2f} s "
            f"({memo.runs} pandoc run{'s' if memo.runs != 1 else ''}, {memo.reused} reused)"
        )

    def _publish(self, error: str | None) -> None:
        with self._changed:
            self.version += 1
            self.error = error
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> dict[str, object]:
        """Block until the version differs from ``seen`` (or ``timeout``); the state then."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen, timeout)
            return {"version": self.version, "error": self.error}


class _Handler(SimpleHTTPRequestHandler):
    """Serves ``site.out``; adds the reload script to pages; answers the long poll."""

    site: Site

    def __init__(self, *args: object, site: Site, **kwargs: object) -> None:
        self.site = site
        super().__init__(*args, directory=str(site.out), **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == WAIT_PATH:
            seen = int(parse_qs(url.query).get("version", ["-1"])[0])
            self._send(json.dumps(self.site.wait(seen, LONG_POLL_SECONDS)), "application/json")
            return
        target = Path(self.translate_path(url.path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            html = target.read_text(encoding="utf-8")
            script = RELOAD_SCRIPT % {"version": self.site.version, "path": WAIT_PATH}
            self._send(html.replace("</body>", script + "</body>", 1), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, text: str, content_type: str) -> None:
        body = text.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the terminal shows renders and errors only."""


def watch(root: Path, on_change: Callable[[], None], stop: threading.Event) -> None:
    """Call ``on_change`` after the watched files change and then hold still for a moment."""
    seen = watched_files(root)
    while not stop.wait(POLL_SECONDS):
        now = watched_files(root)
        if now == seen:
            continue
        while not stop.wait(0.05):  # an editor may write in several steps
            settled = watched_files(root)
            if settled == now:
                break
            now = settled
        seen = now
        on_change()


def serve_builtin(root: Path, port: int, ready: Callable[[str], None] = print) -> int:
    """Render, serve and re-render on edits until Ctrl-C (or until ``ready`` raises)."""
    site = Site(root, root / PREVIEW_DIR)
    try:
        print(f"[preview] rendered in {site.render()}", flush=True)
    except PipelineError as exc:
        print(f"[preview] the book does not render yet:\n{exc}", file=sys.stderr, flush=True)
        site.out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer((HOST, port), partial(_Handler, site=site))
    server.daemon_threads = True
    stop = threading.Event()

    def rerender() -> None:
        try:
            print(f"[preview] rendered again in {site.render()}", flush=True)
        except PipelineError as exc:
            print(f"[preview] render failed:\n{exc}", file=sys.stderr, flush=True)

    watcher = threading.Thread(target=watch, args=(root, rerender, stop), daemon=True)
    watcher.start()
    try:
        url = f"http://{HOST}:{server.server_address[1]}/"
        ready(url)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\n[preview] stopped", flush=True)
    finally:
        stop.set()
        server.server_close()
        watcher.join(timeout=5)
        shutil.rmtree(staging_for(site.out), ignore_errors=True)
    return 0


def serve_quarto(root: Path, port: int) -> int:
    """``quarto preview`` of the HTML book, with ``_variables.yml`` kept in step meanwhile."""
    executable = quarto_executable()
    if executable is None:
        raise PipelineError("renderer 'quarto' was asked for, but quarto is not on PATH")
    sync_variables(root)
    args = [executable, "preview", "--to", "html", "--no-browser", "--host", HOST]
    if port:
        args += ["--port", str(port)]
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch, args=(root, lambda: sync_variables(root), stop), daemon=True
    )
    process = subprocess.Popen(args, cwd=root)
    watcher.start()
    try:
        process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)  # as from a terminal, where quarto gets it too
        process.wait(timeout=30)
        print("\n[preview] stopped", flush=True)
        return 0
    finally:
        stop.set()
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
    return process.returncode


def preview(root: Path, renderer: str = "auto", port: int = 4848) -> int:
    """Serve the book from ``root`` until Ctrl-C; the renderer as for ``render``."""
    root = Path(root).resolve()
    if resolve_renderer(renderer)[0] == "quarto":
        return serve_quarto(root, port)
    return serve_builtin(root, port, lambda url: print(f"[preview] {url}", flush=True))
