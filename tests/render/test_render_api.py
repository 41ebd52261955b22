"""``render()``: choosing the renderer, reproducible bytes, variables, and the Quarto path."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import RenderError
from pipeline.render import render, resolve_renderer, resolve_timestamp
from pipeline.render.book import load_book

BOOK_DATE = 1_717_113_600  # the fixture's date: 2024-05-31T00:00:00Z


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_two_renders_give_identical_bytes(
    make_book: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = render(make_book("a"), renderer="builtin")
    second = render(make_book("b"), renderer="builtin")
    assert first.pdf is not None
    assert _tree(first.out_dir) == _tree(second.out_dir)


def test_render_replaces_the_output_folder(book: Path) -> None:
    stale = book / "_book" / "stale.html"
    stale.parent.mkdir()
    stale.write_text("old", encoding="utf-8")
    result = render(book, renderer="builtin", out_dir=book / "_book")
    assert not stale.exists() and result.index.is_file()
    assert not (book / "._book.rendering").exists()


def test_failed_render_keeps_the_last_book(book: Path) -> None:
    render(book, renderer="builtin")
    (book / "index.qmd").write_text("# Sammendrag\n\n{{< env HOME >}}\n", encoding="utf-8")
    with pytest.raises(RenderError):
        render(book, renderer="builtin")
    assert (book / "_book" / "index.html").is_file()


def test_generated_variables_are_copied_beside_quarto_yml(book: Path) -> None:
    render(book, renderer="builtin")
    generated = book / "report/_generated/_variables.yml"
    assert (book / "_variables.yml").read_bytes() == generated.read_bytes()


def test_timestamp_precedence(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_book(book)
    assert resolve_timestamp(config) == BOOK_DATE
    assert resolve_timestamp(config, 42) == 42
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "7")
    assert resolve_timestamp(config, 42) == 7
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(RenderError, match="SOURCE_DATE_EPOCH"):
        resolve_timestamp(config)


def test_unknown_renderer(book: Path) -> None:
    with pytest.raises(RenderError, match="unknown renderer 'latex'"):
        render(book, renderer="latex")


def test_quarto_asked_for_but_missing(
    book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(RenderError, match="quarto is not on PATH"):
        render(book, renderer="quarto")


def test_auto_without_quarto_uses_builtin(
    book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert render(book).renderer == "builtin"


FAKE_QUARTO = """#!/bin/sh
if [ "$1" = "--version" ]; then echo "{version}"; exit 0; fi
echo "ERROR: the stand-in crashed" >&2
exit 1
"""
"""A stand-in only for what the real Quarto cannot be made to do on demand: be too old, or
crash. Everything else about the Quarto path runs the real CLI (tests/render/test_quarto.py)."""


def _fake_quarto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "quarto"
    script.write_text(FAKE_QUARTO.format(version=version), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_old_quarto_is_refused(book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fake_quarto(tmp_path, monkeypatch, "1.6.40")
    with pytest.raises(RenderError, match="too old"):
        render(book, renderer="quarto")


def test_a_quarto_crash_keeps_the_last_book(
    book: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    render(book, renderer="builtin")
    before = (book / "_book" / "index.html").read_bytes()
    _fake_quarto(tmp_path, monkeypatch, "1.10.18")
    with pytest.raises(RenderError, match=r"quarto render failed:\n.*the stand-in crashed"):
        render(book, renderer="quarto")
    assert (book / "_book" / "index.html").read_bytes() == before
    assert not (book / "._book.rendering").exists()


def test_the_resolved_renderer_names_its_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    name, version = resolve_renderer("auto")
    assert name == "builtin" and version.startswith("pandoc ") and "; typst " in version
    assert resolve_renderer("quarto") == ("quarto", "missing")
    _fake_quarto(tmp_path, monkeypatch, "1.6.40")
    assert resolve_renderer("auto") == ("quarto", "1.6.40")
    with pytest.raises(RenderError, match="unknown renderer"):
        resolve_renderer("latex")


def test_a_font_typst_does_not_have_is_an_error(book: Path) -> None:
    config = book / "_quarto.yml"
    text = config.read_text(encoding="utf-8").replace(
        "papersize: a4", "papersize: a4\n    mainfont: Comic Sans MS"
    )
    config.write_text(text, encoding="utf-8")
    with pytest.raises(RenderError, match="mainfont 'Comic Sans MS' is not available"):
        render(book, renderer="builtin")
