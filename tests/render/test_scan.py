"""The check after every render: no placeholder may reach a reader (DESIGN.md section 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typst

from pipeline.errors import RenderError
from pipeline.render import render
from pipeline.render.quarto import FATAL_WARNING, _warnings
from pipeline.render.scan import Unresolved, check_output, find_unresolved, unresolved_in

QUARTO_STDERR = """\
[1/6] index.qmd
WARNING (/q/filters/./quarto-pre/shortcodes-handlers.lua:302) Unknown var effect.top.9.label specified in a var shortcode.
[2/6] kapitler/innledning.qmd

pandoc
  to: typst
WARNING (/q/filters/./crossref/refs.lua:128) Unable to resolve crossref @fig-nope
WARN: typst-gather analyze failed; staging all packages as fallback: typst-gather binary not found.
Run ./configure.sh to build and install it.
[typst]: Compiling index.typ to index.pdf...DONE
"""  # noqa: E501  (the shape of Quarto 1.10.18's stderr, shortened)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("gjaldt «?var:effect.top.1.label» (d = 0,85)", ["?var:effect.top.1.label"]),
        ("Utgitt av ?meta:book.publisher.", ["?meta:book.publisher"]),
        ("se ?@fig-nope og [?@smith2020]", ["?@fig-nope", "?@smith2020"]),
        ("se ?tbl-feil her", ["?tbl-feil"]),  # Quarto's HTML drops the @
        ("se Figur ?? nedenfor", ["??"]),  # Typst's unresolved reference
        ("Tall: {{< var x >}}.", ["{{< var x >}}"]),
        ("?var:effect.top.9.la\xad\nbel", ["?var:effect.top.9.label"]),  # hyphenated PDF line
        ("Er det sant? Ja. Hvem?", []),
    ],
)
def test_placeholders_are_found(text: str, keys: list[str]) -> None:
    assert [item.key for item in unresolved_in(text, "p.html")] == keys


def test_html_scripts_are_not_text(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        "<p>Fint.</p><script>const x = y ?? 1;</script><style>a::x{}</style>", encoding="utf-8"
    )
    assert find_unresolved(tmp_path, None) == []


def test_every_page_and_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "k1.html").write_text(
        "<p><strong>?var:effect.top.1.label</strong></p>", encoding="utf-8"
    )
    pdf = tmp_path / "bok.pdf"
    pdf.write_bytes(typst.compile(b"Side en\n#pagebreak()\nSe figur ?? her."))
    assert find_unresolved(tmp_path, pdf) == [
        Unresolved("bok.pdf page 2", "??"),
        Unresolved("report/k1.html", "?var:effect.top.1.label"),
    ]
    with pytest.raises(RenderError) as error:
        check_output(tmp_path, pdf, "quarto")
    assert "report/k1.html: ?var:effect.top.1.label" in str(error.value)
    assert "bok.pdf page 2: ??" in str(error.value)


def test_quarto_warnings_are_shown_and_the_fatal_ones_picked() -> None:
    warnings = _warnings(QUARTO_STDERR)
    assert warnings == [
        "WARNING Unknown var effect.top.9.label specified in a var shortcode. [index.qmd]",
        "WARNING Unable to resolve crossref @fig-nope",
        "WARN: typst-gather analyze failed; staging all packages as fallback: typst-gather "
        "binary not found. Run ./configure.sh to build and install it.",
    ]
    assert [bool(FATAL_WARNING.search(w)) for w in warnings] == [True, True, False]


@pytest.mark.parametrize(
    ("snippet", "key"),
    [
        ("Tall: {{< var effect.top.9.label >}}.", "variable effect.top.9.label is not defined"),
        ("Se @fig-fordelingen.", "@fig-fordelingen points to no"),
    ],
)
def test_a_misspelling_fails_the_builtin_render_and_keeps_the_book(
    book: Path, snippet: str, key: str
) -> None:
    render(book, renderer="builtin")
    before = (book / "_book" / "index.html").read_bytes()
    chapter = book / "kapitler" / "metode.qmd"
    line = len(chapter.read_text(encoding="utf-8").splitlines()) + 2
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{snippet}\n", encoding="utf-8")
    with pytest.raises(RenderError, match=rf"kapitler/metode\.qmd:{line}: .*{key}"):
        render(book, renderer="builtin")
    assert (book / "_book" / "index.html").read_bytes() == before
