"""One real build of the 2019 edition: the files, the PDF's text and the HTML site."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import Build

PDF = "_book/konstruktiv-uro.pdf"


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, f"{name}.")
        else:
            flat[name] = str(value)
    return flat


def _normal(text: str) -> str:
    """PDF text extraction turns no-break spaces and line breaks into plain spaces."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")
    text = re.sub(r"-\n(?=\w)", "", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def variables(built: Build) -> dict[str, str]:
    doc = yaml.safe_load((built.root / "report/_generated/_variables.yml").read_text("utf-8"))
    return _flatten(doc)


@pytest.fixture(scope="module")
def pdf_text(built: Build) -> str:
    reader = PdfReader(built.root / PDF)
    return _normal("\n".join(page.extract_text() or "" for page in reader.pages))


def test_build_writes_every_output(built: Build) -> None:
    for rel in (
        "_book/index.html",
        PDF,
        "_book/build-manifest.json",
        "_book/endringer.md",
        "data/processed/validation.json",
        "data/processed/results/effect_factors.csv",
        "report/_generated/_variables.yml",
        "build/notebooks/01_clean.ipynb",
        "build/notebooks/02_statistics.ipynb",
        "build/notebooks/03_figures.ipynb",
    ):
        assert (built.root / rel).is_file(), rel
    for stage in ("[clean]", "[statistics]", "[figures]"):
        assert f"{stage} done in" in built.log
    assert "Endringer siden forrige bygg" in built.log


def test_pdf_has_chapters_appendices_and_key_numbers(
    built: Build, pdf_text: str, variables: dict[str, str]
) -> None:
    for title in (
        "Sammendrag",
        "Innledning",
        "Toppledergrupper i forvaltningen",
        "Anbefalinger",
        "Læringspunkter",
        "Vedlegg A",
        "Vedlegg B",
        "Vedlegg C",
        "Vedlegg D",
        "Figur 1.1",
        "Tabell D.1",
    ):
        assert title in pdf_text, title
    for key in (
        "facts.groups",
        "facts.leaders",
        "facts.mean_age",
        "effect.gtei_t1",
        "effect.gtei_t2",
        "effect.paired_groups",
        "eval.respondents",
        "eval.response_rate",
        "eval.items.strategisk_organ",
        "corr.r",
    ):
        assert _normal(variables[key]) in pdf_text, key
    assert "Syntetiske data" in pdf_text or "syntetiske data" in pdf_text


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.h1 = 0
        self.images: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "img":
            self.images.append(a)
        elif tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        elif tag in ("link", "script"):
            ref = a.get("href") or a.get("src")
            if ref:
                self.links.append(str(ref))


def _pages(built: Build) -> dict[Path, _Page]:
    parsed = {}
    for page in sorted((built.root / "_book").rglob("*.html")):
        p = _Page()
        p.feed(page.read_text(encoding="utf-8"))
        parsed[page] = p
    return parsed


def test_html_pages_are_norwegian_with_one_h1_and_alt_text(built: Build) -> None:
    pages = _pages(built)
    assert len(pages) >= 10  # Sammendrag, five chapters, four appendices
    for page, p in pages.items():
        assert p.lang.split("-")[0] == "nb", page.name  # nb-NO: bokmål, Norway
        assert p.h1 == 1, f"{page.name} has {p.h1} h1"
        for img in p.images:
            assert (img.get("alt") or "").strip(), f"{page.name}: image without alt text"


def test_html_has_no_broken_internal_links_or_missing_images(built: Build) -> None:
    pages = _pages(built)
    broken = []
    for page, p in pages.items():
        refs = p.links + [str(img.get("src")) for img in p.images]
        for ref in refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//") or ref.startswith("mailto:"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append(f"{page.name}: {ref}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if parts.fragment not in ids:
                    broken.append(f"{page.name}: {ref} (no such id)")
    assert not broken, "\n".join(broken)


def test_figures_carry_the_alt_text_the_figures_stage_wrote(built: Build) -> None:
    figures = yaml.safe_load((built.root / "report/_generated/figures.yml").read_text("utf-8"))
    html = " ".join(p.read_text(encoding="utf-8") for p in (built.root / "_book").rglob("*.html"))
    for entry in figures.values():
        assert entry["id"] in html


def test_manifest_lists_inputs_code_and_outputs(built: Build) -> None:
    manifest = json.loads((built.root / "_book/build-manifest.json").read_text("utf-8"))
    paths = {i["path"] for i in manifest["inputs"]}
    assert "data/raw/kull-00/groups.csv" in paths
    assert "data/reference/codebook.yaml" in paths
    assert manifest["parameters"]["as_of"] == "2019-06-30"
    assert PDF in manifest["outputs"]
    assert manifest["key_figures"]["groups"] == 48
