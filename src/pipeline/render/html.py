"""Writes the HTML site: one page per chapter, with navigation, contents and search.

Pandoc (with filters/html.lua) writes each chapter's body; the page around it (sidebar,
on-page contents, previous/next, search) is assembled here from book.lua's outline, so
every page is built from the same numbers. Nothing on a page depends on the clock or on
the order of a dict, so two renders give identical bytes.
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from html import escape
from pathlib import Path
from string import Template

from pipeline.render.analysis import AnalysedBook, Page, Section
from pipeline.render.apparatus import document_metadata
from pipeline.render.book import Book
from pipeline.render.pandoc import PARALLEL_RUNS, apply_filter, document, meta_string

ASSETS = Path(__file__).parent / "assets"
SITE_LIBS = "site_libs"
"""Where the CSS, JS and search index go (Quarto's name for the same folder)."""

UI = {
    "skip": "Hopp til innholdet",
    "chapters": "Kapitler",
    "search": "Søk i rapporten",
    "on_page": "På denne siden",
    "pager": "Forrige og neste kapittel",
    "previous": "Forrige",
    "next": "Neste",
    "marking": "Syntetiske data",
    "download_pdf": "Last ned PDF",
}
"""The site's own words (not the report's): Norwegian bokmål, like the report."""


def write_site(analysed: AnalysedBook, out: Path) -> list[Path]:
    """Write every page plus assets, images and search index into ``out``; return the pages."""
    _copy_assets(analysed, out)
    _copy_images(analysed, out)
    _write_search_index(analysed, out)
    template = Template((ASSETS / "page.html").read_text(encoding="utf-8"))
    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:  # one pandoc run per page
        fields = list(pool.map(partial(_page_fields, analysed), range(len(analysed.pages))))
    pages = []
    for page, values in zip(analysed.pages, fields, strict=True):
        target = out / page.chapter.page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.substitute(values), encoding="utf-8", newline="\n")
        pages.append(target)
    return pages


def _copy_assets(analysed: AnalysedBook, out: Path) -> None:
    libs = out / SITE_LIBS
    libs.mkdir(parents=True, exist_ok=True)
    for name in ("book.css", "book.js"):
        shutil.copyfile(ASSETS / name, libs / name)
    for sheet in analysed.book.css:  # at its path from the root, as Quarto copies it
        target = out / sheet
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(analysed.book.root / sheet, target)


def _copy_images(analysed: AnalysedBook, out: Path) -> None:
    """Images keep their root-relative path below ``_book/``, as Quarto copies them."""
    for path in analysed.images:
        relative = path.lstrip("/")
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(analysed.book.root / relative, target)


def _write_search_index(analysed: AnalysedBook, out: Path) -> None:
    """A script, not a JSON file, so that search also works when pages open from file://."""
    entries = [
        {"u": _section_url(page, section), "t": section.label, "c": page.label, "x": section.text}
        for page in analysed.pages
        for section in page.sections
    ]
    data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    script = f"window.BOOK_SEARCH = {data};\n"
    (out / SITE_LIBS / "search-index.js").write_text(script, encoding="utf-8", newline="\n")
    # search.json where Quarto writes it, in Quarto's field names, for tools that read it.
    quarto_entries = [
        {"objectID": e["u"], "href": e["u"], "title": e["t"], "section": e["c"], "text": e["x"]}
        for e in entries
    ]
    (out / "search.json").write_text(
        json.dumps(quarto_entries, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
        newline="\n",
    )


def _section_url(page: Page, section: Section) -> str:
    return page.chapter.page if section.level == 1 else f"{page.chapter.page}#{section.id}"


def _page_fields(analysed: AnalysedBook, position: int) -> dict[str, str]:
    book = analysed.book
    page = analysed.pages[position]
    title = book.title if page.chapter.kind == "preface" else f"{page.label} – {book.title}"
    root = page.chapter.root
    return {
        "lang": escape(book.lang),
        "title": escape(title),
        "book_title": escape(book.title),
        "root": root,
        "libs": root + SITE_LIBS,
        "css": "".join(f'<link rel="stylesheet" href="{escape(root + c)}">\n' for c in book.css),
        "marking": _marking(analysed.synthetic_notice),
        "intro": _intro(analysed) if page.chapter.kind == "preface" else "",
        "sidebar": _sidebar(analysed, page, root),
        "body": _body(analysed, position),
        "pager": _pager(analysed.pages, position, root),
        "toc": _toc(page, book.toc_depth["html"]),
        "footer": _footer(analysed),
        **{f"ui_{key}": escape(value) for key, value in UI.items()},
    }


def _body(analysed: AnalysedBook, position: int) -> str:
    page = analysed.pages[position]
    chapter_div = analysed.ast["blocks"][position]
    config = {
        "page": page.chapter.page,
        "root": page.chapter.root,
        "anchors": dict(analysed.anchors),
        "table_label": analysed.book.labels["tbl-title"],
    }
    meta = {"book-page": meta_string(json.dumps(config, ensure_ascii=False, sort_keys=True))}
    ast = document(analysed.ast["pandoc-api-version"], meta, chapter_div["c"][1])
    return apply_filter(ast, "html", "html5").strip()


def _intro(analysed: AnalysedBook) -> str:
    """The report's title page on the home page: title, subtitle, publisher and date."""
    book = analysed.book
    who = book.publisher or ", ".join(book.authors)
    lines = [f'<p class="book-title">{escape(book.title)}</p>']
    if book.subtitle:
        lines.append(f'<p class="book-subtitle">{escape(book.subtitle)}</p>')
    meta = " · ".join(escape(part) for part in (who, _dates(book)) if part)
    if meta:
        lines.append(f'<p class="book-meta">{meta}</p>')
    return '<div class="book-intro">\n' + "\n".join(lines) + "\n</div>"


def _marking(notice: str | None) -> str:
    if not notice:
        return ""
    return f'<p class="marking"><strong>{escape(UI["marking"])}:</strong> {escape(notice)}</p>'


def _nav_link(page: Page, current: Page, root: str) -> str:
    number = f'<span class="chapter-number">{escape(page.number)}</span> ' if page.number else ""
    aria = ' aria-current="page"' if page is current else ""
    return f'<li><a href="{root}{page.chapter.page}"{aria}>{number}{escape(page.title)}</a></li>'


def _nav_groups(pages: tuple[Page, ...], appendices_title: str) -> list[tuple[str, list[Page]]]:
    """Consecutive chapters of one part (or the appendices) form one group; "" = no title."""
    groups: list[tuple[str, list[Page]]] = []
    for page in pages:
        title = appendices_title if page.chapter.kind == "appendix" else page.chapter.part or ""
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(page)
    return groups


def _sidebar(analysed: AnalysedBook, current: Page, root: str) -> str:
    groups = _nav_groups(analysed.pages, analysed.book.labels["appendices-title"])
    parts = []
    for number, (title, pages) in enumerate(groups, start=1):
        items = "\n".join(_nav_link(page, current, root) for page in pages)
        if title:
            parts.append(
                f'<p class="sidebar-group" id="nav-group-{number}">{escape(title)}</p>\n'
                f'<ul aria-labelledby="nav-group-{number}">\n{items}\n</ul>'
            )
        else:
            parts.append(f"<ul>\n{items}\n</ul>")
    if "pdf" in analysed.book.downloads and "typst" in analysed.book.formats:
        name = escape(analysed.book.pdf_name)
        label = escape(UI["download_pdf"])
        parts.append(f'<p class="sidebar-download"><a href="{root}{name}" download>{label}</a></p>')
    return "\n".join(parts)


def _pager_link(page: Page, rel: str, word: str, root: str) -> str:
    return (
        f'<a class="pager-{rel}" href="{root}{page.chapter.page}" rel="{rel}">'
        f'<span class="pager-word">{escape(word)}</span> '
        f'<span class="pager-title">{escape(page.label)}</span></a>'
    )


def _pager(pages: tuple[Page, ...], position: int, root: str) -> str:
    links = []
    if position > 0:
        links.append(_pager_link(pages[position - 1], "prev", UI["previous"], root))
    if position + 1 < len(pages):
        links.append(_pager_link(pages[position + 1], "next", UI["next"], root))
    return "\n".join(links)


def _toc(page: Page, depth: int) -> str:
    sections = [s for s in page.sections if 1 < s.level <= depth]
    if not sections:
        return ""
    return (
        '<nav class="page-toc" aria-labelledby="toc-title">\n'
        f'<p class="toc-title" id="toc-title">{escape(UI["on_page"])}</p>\n'
        f"{_toc_list(_toc_tree(sections))}\n</nav>"
    )


TocNode = tuple[Section, list["TocNode"]]


def _toc_tree(sections: list[Section]) -> list[TocNode]:
    """Nest sections by level (a level may be skipped, as in the sources)."""
    roots: list[TocNode] = []
    stack: list[tuple[int, list[TocNode]]] = [(0, roots)]
    for section in sections:
        while stack[-1][0] >= section.level:
            stack.pop()
        node: TocNode = (section, [])
        stack[-1][1].append(node)
        stack.append((section.level, node[1]))
    return roots


def _toc_list(nodes: list[TocNode]) -> str:
    items = []
    for section, children in nodes:
        nested = _toc_list(children) if children else ""
        items.append(
            f'<li><a href="#{escape(section.id)}">{escape(section.label)}</a>{nested}</li>'
        )
    return "<ul>" + "".join(items) + "</ul>"


def _footer(analysed: AnalysedBook) -> str:
    book = analysed.book
    who = book.publisher or ", ".join(book.authors)
    parts = [escape(part) for part in (who, _dates(book)) if part]
    return " · ".join(parts)


def _dates(book: Book) -> str:
    """Both dates of the edition (publication or draft, and data date), as on the cover.

    A lone data date would read as a publication date (issue 14); a book without edition
    metadata keeps its plain date.
    """
    edition = document_metadata(book).get("edition")
    if not isinstance(edition, dict) or not edition.get("data_date"):
        return book.date_text
    return " · ".join(str(edition[key]) for key in ("publication", "data_date") if edition.get(key))
