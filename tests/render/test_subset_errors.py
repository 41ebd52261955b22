"""Anything outside the Quarto subset fails with a RenderError naming file and line.

Each case appends a snippet to a chapter of the fixture book (after a blank line) and
expects the problem at the snippet's first line, or at the line given by LINE_OFFSET
where the offending construct sits further down the snippet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.errors import RenderError
from pipeline.render import render

FIGURE = "/report/_generated/figures/endring.svg"

CASES = {
    "env shortcode": ("{{< env HOME >}}", "shortcode {{< env >}} is not supported"),
    "embed shortcode": ("{{< embed nb.ipynb#cell >}}", "shortcode {{< embed >}} is not supported"),
    "unknown shortcode": ("{{< lipsum 2 >}}", "shortcode {{< lipsum >}} is not supported"),
    "code cell": ("```{python}\n1 + 1\n```", "executable code cell {python}"),
    "code cell with options": ("```{r echo=FALSE}\n1\n```", "executable code cell {r echo=FALSE}"),
    "inline code": ("Svaret er `{python} 1 + 1`.", "inline executable code"),
    "collapsible callout": (
        '::: {.callout-note collapse="true"}\nTekst.\n:::',
        "callout attribute collapse= is not supported",
    ),
    "callout appearance": (
        '::: {.callout-tip appearance="simple"}\nTekst.\n:::',
        "callout attribute appearance= is not supported",
    ),
    "unknown callout type": ("::: {.callout-danger}\nTekst.\n:::", "callout type .callout-danger"),
    "heading in callout": ("::: {.callout-note}\n## Tittel\n:::", "a heading inside a callout"),
    "subfigures": (
        f"::: {{#fig-sub layout-ncol=2}}\n![A]({FIGURE})\n\n![B]({FIGURE})\n\nUnder\n:::",
        "layout-ncol= (subfigure layouts) is not supported",
    ),
    "quarto div class": ("::: {.column-margin}\nTekst.\n:::", "a div class .column-margin"),
    "cross-reference id on a div": ("::: {#fig-boks}\nTekst.\n:::", "id #fig-boks on a div"),
    "quarto span class": ("[tekst]{.column-margin}", "a span class .column-margin"),
    "unknown cross-reference": ("Se @fig-finnes-ikke.", "@fig-finnes-ikke points to no"),
    "citation": ("Som @smith2020 viser.", "citation @smith2020 is not supported"),
    "figure id without caption": (f"![]({FIGURE}){{#fig-uten}}", "#fig-uten needs a caption"),
    "uppercase id": ("## Overskrift {#sec-Stor}", "id #sec-Stor must be lowercase"),
    "id without type prefix": ("## Overskrift {#elefant}", "id #elefant must be lowercase"),
    "id of the wrong type": ("## Overskrift {#tbl-feil}", "id #tbl-feil does not fit a heading"),
    "duplicate id": ("## Igjen {#sec-resultater}", "id #sec-resultater is used twice"),
    "cross-reference id on a span": ("[tekst]{#sec-spenn}", "id #sec-spenn on a span"),
    "math": ("Formelen $x^2$ her.", "math is not supported"),
    "book metadata outside index.qmd": ("Av {{< meta author >}}.", "known in index.qmd only"),
    "unknown variable": ("Tall: {{< var facts.finnes_ikke >}}.", "variable facts.finnes_ikke"),
    "variable that is a mapping": ("Tall: {{< var effect.top >}}.", "is not a single value"),
    "missing include": (
        "{{< include /finnes/ikke.md >}}",
        "included file /finnes/ikke.md not found",
    ),
    "include inside text": ("Se {{< include _x.md >}} her.", "include must stand alone"),
    "missing image": ("![Bilde](/finnes-ikke.svg){#fig-borte}", "image /finnes-ikke.svg not found"),
    "image without alt": (f"Tekst ![]({FIGURE}) her.", "has no alt text"),
    "second level-1 heading": ("# Enda et kapittel", "exactly one level-1 heading"),
    "link to an unknown anchor": ("[lenke](#sec-borte)", "link to #sec-borte"),
}

LINE_OFFSET = {"heading in callout": 1}


def _append(path: Path, snippet: str) -> int:
    """Append after a blank line; return the snippet's first line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, "", snippet]) + "\n", encoding="utf-8")
    return len(lines) + 2


@pytest.mark.parametrize("case", CASES)
def test_construct_fails_at_its_line(book: Path, case: str) -> None:
    snippet, message = CASES[case]
    line = _append(book / "kapitler/metode.qmd", snippet) + LINE_OFFSET.get(case, 0)
    with pytest.raises(RenderError) as caught:
        render(book, renderer="builtin")
    assert f"kapitler/metode.qmd:{line}: " in str(caught.value)
    assert message in str(caught.value)
    assert not (book / "_book").exists()


def test_problem_in_an_included_file_names_that_file(book: Path) -> None:
    line = _append(book / "kapitler/deler/_underdel.qmd", "{{< env USER >}}")
    with pytest.raises(RenderError, match=rf"kapitler/deler/_underdel.qmd:{line}: shortcode"):
        render(book, renderer="builtin")


def test_figure_in_unnumbered_chapter(book: Path) -> None:
    line = _append(book / "kilder.qmd", f"![Figur]({FIGURE}){{#fig-kilde fig-alt='x'}}")
    with pytest.raises(RenderError, match=rf"kilder.qmd:{line}: .*unnumbered chapter"):
        render(book, renderer="builtin")


def test_reference_to_an_unnumbered_section(book: Path) -> None:
    line = _append(
        book / "vedlegg-b.qmd",
        "## Uten nummer {#sec-unummerert .unnumbered}\n\nSe @sec-unummerert.",
    )
    with pytest.raises(RenderError, match=rf"vedlegg-b.qmd:{line + 2}: .*unnumbered section"):
        render(book, renderer="builtin")


def test_every_problem_is_reported_at_once(book: Path) -> None:
    _append(book / "kapitler/metode.qmd", "Se @fig-borte og @tbl-borte.")
    with pytest.raises(RenderError, match=r"^2 problem\(s\)"):
        render(book, renderer="builtin")


@pytest.mark.parametrize(
    "value, message",
    [
        ("[x.lua]", "filter x.lua not found"),
        ("[{path: x.lua}]", "filters: entry .* must be the path of a .lua file"),
    ],
)
def test_a_filter_both_renderers_cannot_run_is_refused(
    book: Path, value: str, message: str
) -> None:
    config = book / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^filters:\n(  - .*\n)+", "", text, flags=re.M)  # the fixture's own
    config.write_text(f"filters: {value}\n{text}", encoding="utf-8")
    with pytest.raises(RenderError, match=rf"_quarto.yml:1: {message}"):
        render(book, renderer="builtin")


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("embed-resources", "true", "embed-resources: is not supported"),
        ("filters", "[x.lua]", "filters: is not supported .filters belong at the top"),
        ("number-sections", "false", "number-sections: must stay true"),
    ],
)
def test_project_option_fails_at_its_line(book: Path, key: str, value: str, message: str) -> None:
    config = book / "_quarto.yml"
    html = "    toc-depth: 3\n    number-sections: true\n"
    text = config.read_text(encoding="utf-8").replace(
        html, f"    toc-depth: 3\n    {key}: {value}\n"
    )
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"    {key}: {value}") + 1
    with pytest.raises(RenderError, match=rf"_quarto.yml:{line}: {message}"):
        render(book, renderer="builtin")


def test_a_label_that_is_not_pinned(book: Path) -> None:
    config = book / "_quarto.yml"
    text = config.read_text(encoding="utf-8").replace("  crossref-apx-prefix: Vedlegg\n", "")
    config.write_text(text, encoding="utf-8")
    with pytest.raises(
        RenderError, match=r"_quarto.yml:\d+: pin these labels .*crossref-apx-prefix"
    ):
        render(book, renderer="builtin")


def test_missing_variables_file_is_one_clear_error(book: Path) -> None:
    (book / "report/_generated/_variables.yml").unlink()
    with pytest.raises(
        RenderError, match=r"no _variables\.yml: it is copied from report/_generated"
    ):
        render(book, renderer="builtin")


def _front_matter(path: Path, yaml_text: str, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(f"---\n{yaml_text}\n---\n{text}\n{body}\n", encoding="utf-8")


def test_front_matter_feeds_meta_and_plain_divs_and_spans_are_kept(book: Path) -> None:
    chapter = book / "kapitler/metode.qmd"
    _front_matter(
        chapter,
        "ansvarlig: Analyseteamet\nkontakt:\n  epost: post@example.no",
        "::: {.lead #ingress}\nSkrevet av {{< meta ansvarlig >}} "
        "([{{< meta kontakt.epost >}}]{.smallcaps .epost}).\n:::\n\nSe [ingressen](#ingress).",
    )
    result = render(book, renderer="builtin")
    html = (result.out_dir / "kapitler/metode.html").read_text(encoding="utf-8")
    assert '<div id="ingress" class="lead">' in html
    assert "Skrevet av Analyseteamet" in html
    # pandoc (in Quarto too) turns .smallcaps into small capitals inside the span
    assert '<span class="epost"><span class="smallcaps">post@example.no</span></span>' in html
    assert 'href="#ingress"' in html


def test_front_matter_that_changes_rendering_is_refused(book: Path) -> None:
    _front_matter(book / "kapitler/metode.qmd", "ansvarlig: x\nnumber-sections: false", "")
    with pytest.raises(RenderError, match=r"kapitler/metode.qmd:3: front matter key number-sec"):
        render(book, renderer="builtin")


def test_a_missing_style_sheet_fails_at_its_line(book: Path) -> None:
    config = book / "_quarto.yml"
    text = config.read_text(encoding="utf-8").replace("css: stil.css", "css: [stil.css, borte.css]")
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    css: [stil.css, borte.css]") + 1
    with pytest.raises(RenderError, match=rf"_quarto.yml:{line}: css: no such style sheet: borte"):
        render(book, renderer="builtin")
