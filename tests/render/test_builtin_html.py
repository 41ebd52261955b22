"""The HTML site of the built-in renderer, on the fixture book."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.render import RenderResult

PAGES = ["index", "innledning", "metode", "kilder", "vedlegg-a", "vedlegg-b"]
PATHS = {"innledning": "kapitler/innledning", "metode": "kapitler/metode"}
"""Pages sit where Quarto writes them: the source path with .html."""


def page_path(name: str) -> str:
    return f"{PATHS.get(name, name)}.html"


@dataclass
class Page(HTMLParser):
    """What the tests look at in one page: tags with attributes, ids, links and text."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text_parts).replace("\xa0", " "))

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(rendered: RenderResult) -> dict[str, Page]:
    return {name: parse(rendered.out_dir / page_path(name)) for name in PAGES}


def html_of(rendered: RenderResult, name: str) -> str:
    return (rendered.out_dir / page_path(name)).read_text(encoding="utf-8")


def test_one_page_per_chapter(rendered: RenderResult) -> None:
    written = sorted(p.relative_to(rendered.out_dir).as_posix() for p in rendered.pages)
    assert written == sorted(page_path(n) for n in PAGES)
    assert rendered.index.is_file() and (rendered.out_dir / "search.json").is_file()


@pytest.mark.parametrize("name", PAGES)
def test_page_basics(site: dict[str, Page], name: str) -> None:
    page = site[name]
    assert page.all("html")[0]["lang"] == "nb"
    assert len(page.all("h1")) == 1
    assert page.all("main") and page.all("nav")
    assert page.all("a")[0]["class"] == "skip-link"
    assert all(img.get("alt", "").strip() for img in page.all("img"))
    assert all(th.get("scope") == "col" for th in page.all("th"))


def test_internal_links_resolve(rendered: RenderResult, site: dict[str, Page]) -> None:
    broken = []
    by_path = {page_path(name): name for name in PAGES}
    for name, page in site.items():
        for link in page.all("a"):
            href = link.get("href", "")
            if href.startswith(("http:", "https:")):
                continue
            file, _, anchor = href.partition("#")
            here = posixpath.dirname(page_path(name))
            path = posixpath.normpath(posixpath.join(here, file)) if file else page_path(name)
            missing_page = file and not (rendered.out_dir / path).is_file()
            target = by_path.get(path)
            if missing_page or (anchor and (target is None or anchor not in site[target].ids)):
                broken.append((name, href))
    assert broken == []


def test_cross_references_are_numbered_links(rendered: RenderResult, site: dict[str, Page]) -> None:
    metode = site["metode"].text
    for text in ("Kapittel 1", "Avsnitt 1.1", "Avsnitt 1.2", "Avsnitt 1.2.1", "Tabell 2.1"):
        assert text in metode
    for text in ("Tabell A.1", "Figur B.1", "Vedlegg B", "Avsnitt A.1"):
        assert text in metode
    assert "Figur 1.1, Figur 2.1" in metode  # [@fig-a; @fig-b]
    assert "Fig. 2.1 viser" in metode  # [Fig. @fig-a]
    assert "har nummer 1.1." in metode  # [-@fig-a]
    assert "Kapittel 2" in site["vedlegg-a"].text
    html = html_of(rendered, "metode")
    link = (
        '<a href="../kapitler/innledning.html#fig-fordeling" class="quarto-xref">Figur\xa01.1</a>'
    )
    assert link in html
    assert 'href="../vedlegg-b.html#sec-vedlegg-b"' in html
    assert 'href="#tbl-resultater"' in html  # same page: no file name


def test_capitalised_reference(site: dict[str, Page]) -> None:
    assert "Figur 1.1 er laget av figurstadiet" in site["innledning"].text


def test_headings_are_numbered_like_quarto(rendered: RenderResult, site: dict[str, Page]) -> None:
    innledning = html_of(rendered, "innledning")
    assert (
        '<span class="chapter-number">1</span> <span class="chapter-title">Innledning' in innledning
    )
    assert '<span class="header-section-number">1.2.1</span> Delmål' in innledning
    assert '<h2 class="unnumbered" id="uten-nummer">Uten nummer</h2>' in innledning
    assert "Vedlegg A — Tabeller" in site["vedlegg-a"].text  # title: from front matter
    assert "A.1 Detaljer" in site["vedlegg-a"].text
    assert "<h1" in html_of(rendered, "index") and "header-section-number" not in html_of(
        rendered, "index"
    )
    assert '<h1 class="unnumbered" id="kilder">Kilder</h1>' in html_of(rendered, "kilder")


def test_figures_have_caption_below_and_alt(rendered: RenderResult) -> None:
    html = html_of(rendered, "innledning")
    figure = re.search(r'<figure id="fig-fordeling">(.*?)</figure>', html, re.S)
    assert figure is not None
    assert 'src="../report/_generated/figures/fordeling.svg"' in figure.group(1)
    assert 'alt="Søylediagram: antall grupper i hvert kull, mellom to og fire."' in figure.group(1)
    assert "<figcaption>Figur\xa01.1: Fordeling av gruppene per kull</figcaption>" in figure.group(
        1
    )
    assert (rendered.out_dir / "report/_generated/figures/fordeling.svg").is_file()


def test_table_caption_is_above_the_table(rendered: RenderResult) -> None:
    html = html_of(rendered, "vedlegg-a")
    assert re.search(
        r'<table id="tbl-vedlegg">\s*<caption>Tabell\xa0A.1: Grupper per kull</caption>', html
    )


def test_variables_meta_and_includes(site: dict[str, Page]) -> None:
    index = site["index"].text
    assert "Utgave per 30. juni 2019: 48 grupper" in index
    assert "«Tydelig formål» (d = 0,85)" in index  # dotted key with a numeric step
    assert "Dette er Testboka, utgitt av Direktoratet for testing." in index  # meta
    assert "oppført på språket nb." in site["kilder"].text  # meta of the project file
    innledning = site["innledning"].text
    assert "Departement A" in innledning  # root-relative include
    assert "(relativ sti)" in innledning and "(rekursivt)" in innledning  # nested includes


def test_variable_inside_a_link_target(rendered: RenderResult) -> None:
    assert 'href="https://www.dfo.no/toppledergrupper"' in html_of(rendered, "innledning")


def test_callouts_have_titles(rendered: RenderResult) -> None:
    innledning = html_of(rendered, "innledning")
    assert re.search(
        r'<div class="callout callout-note" role="note">\s*<div class="callout-title">\s*'
        r"Om <em>tallene</em>",
        innledning,
    )
    metode = html_of(rendered, "metode")
    assert re.search(r'callout-tip" role="note">\s*<div class="callout-title">\s*Tips', metode)
    for kind in ("warning", "important", "caution"):
        assert f'class="callout callout-{kind}"' in metode


def test_pagebreak(rendered: RenderResult) -> None:
    assert 'style="page-break-after: always;"' in html_of(rendered, "metode")


def test_navigation(rendered: RenderResult, site: dict[str, Page]) -> None:
    html = html_of(rendered, "metode")
    assert (
        '<a href="../kapitler/metode.html" aria-current="page">'
        '<span class="chapter-number">2</span> Metode' in html
    )
    assert re.search(r'<p class="sidebar-group" id="nav-group-\d">Vedlegg</p>', html)
    assert re.search(r'<p class="sidebar-group" id="nav-group-\d">Del I: Grunnlaget</p>', html)
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert 'rel="prev"' not in html_of(rendered, "index")
    assert 'rel="next"' not in html_of(rendered, "vedlegg-b")
    toc = re.search(r'<nav class="page-toc".*?</nav>', html, re.S)
    assert toc is not None and 'href="#sec-datagrunnlag">2.1 Datagrunnlag' in toc.group(0)


def test_search_index_covers_sections(rendered: RenderResult) -> None:
    script = (rendered.out_dir / "site_libs" / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.BOOK_SEARCH = [")
    assert '"u":"kapitler/metode.html#sec-datagrunnlag","t":"2.1 Datagrunnlag"' in script
    assert (rendered.out_dir / "site_libs" / "book.js").is_file()


def test_synthetic_data_is_marked(site: dict[str, Page]) -> None:
    assert "Syntetiske data: Tallene er beregnet fra syntetiske data." in site["index"].text


def test_the_projects_style_sheet_is_linked_and_copied(rendered: RenderResult) -> None:
    out = rendered.out_dir
    assert (out / "stil.css").read_text(encoding="utf-8").startswith("/* The fixture")
    for page in rendered.pages:
        root = posixpath.relpath(".", posixpath.dirname(page.relative_to(out).as_posix()))
        href = posixpath.normpath(posixpath.join(root, "stil.css"))
        assert f'<link rel="stylesheet" href="{href}">' in page.read_text(encoding="utf-8")
