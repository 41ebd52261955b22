"""The profile as a Typst document and a tagged, accessible A4 PDF (one compile per profile).

Written straight as Typst (no pandoc pass: a profile is one fixed layout), with the report's
PDF settings: PDF/A-2a and PDF/UA-1, so Typst itself refuses an untagged figure or a missing
title or language; fonts embedded from the typst wheel only; an explicit ``timestamp`` so
two builds give the same bytes. Every text from the data enters as a Typst string literal,
never as markup, so an organisation's name cannot break the document.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from functools import cache
from pathlib import Path

import typst

from pipeline.atomic import write_bytes
from pipeline.errors import RenderError
from pipeline.format.numbers import MISSING, fmt_number
from pipeline.profiles import text
from pipeline.profiles.data import WAVES, Profile
from pipeline.profiles.figure import DEV_MARK
from pipeline.render.analysis import SYNTHETIC_LABEL
from pipeline.render.pdf import DEFAULT_FONT, PDF_STANDARDS

CONFIDENTIAL = "Fortrolig – bare for ledergruppen"
PUBLISHER = "Program for toppledergrupper i staten"
SUPPRESSED_CELL = "(for få)"
SYNTHETIC_NOTE = "Profilen er laget av syntetiske data, ikke av virkelige svar."


def lit(value: str) -> str:
    """A Typst string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def say(value: str) -> str:
    """Text from the data in markup position: ``#"…"`` prints it verbatim."""
    return f"#{lit(value)}"


def _cell(value: float, suppressed: bool, signed: bool = False) -> str:
    if suppressed:
        return SUPPRESSED_CELL
    if not math.isfinite(value):
        return MISSING
    return text.signed(value) if signed else fmt_number(value)


def factor_table(profile: Profile) -> str:
    """Every factor: the group per wave, its change ± 1,96 SE, and the programme."""
    waves = [w for w in WAVES if profile.respondents[w] > 0]
    header = ["Faktor", *(text.COLUMN_NAMES[w] for w in waves)]
    if 2 in waves:
        header += ["Endring", "± 1,96 SE"]
    header += [f"Progr. {text.COLUMN_NAMES[w].lower()}" for w in waves]
    rows = []
    for row in profile.factors.itertuples(index=False):
        label = (DEV_MARK if row.dev_area else "") + row.label
        cells = [label]
        cells += [_cell(getattr(row, f"mean{w}"), getattr(row, f"suppressed{w}")) for w in waves]
        if 2 in waves:
            cells.append(_cell(row.change, row.suppressed_change, signed=True))
            cells.append(_cell(text.Z * row.se_change, row.suppressed_change))
        for w in waves:
            mean, sd = getattr(row, f"prog_mean{w}"), getattr(row, f"prog_sd{w}")
            cells.append(
                f"{fmt_number(mean)} ({fmt_number(sd)})" if math.isfinite(mean) else MISSING
            )
        rows.append(cells)
    columns = "(auto," + " auto," * (len(header) - 1) + ")"
    aligns = "(left," + " right," * (len(header) - 1) + ")"
    body = ",\n  ".join(
        ", ".join(f"[{say(c)}]" if i else _label_cell(c) for i, c in enumerate(cells))
        for cells in rows
    )
    head = ", ".join(f"[*{say(h)}*]" for h in header)
    return (
        f"#profile-table(columns: {columns}, align: {aligns},\n"
        f"  table.header({head}),\n  {body},\n)\n"
    )


def _label_cell(label: str) -> str:
    strong = label.startswith(DEV_MARK)
    return f"[*{say(label)}*]" if strong else f"[{say(label)}]"


def _list(items: list[str]) -> str:
    return "\n".join(f"- {say(item)}" for item in items) + "\n"


def _paragraphs(items: list[str]) -> str:
    return "\n\n".join(say(p) for p in items) + "\n"


def typst_source(profile: Profile) -> str:
    """The whole document; the figure arrives as ``sys.inputs.figure`` (SVG text)."""
    strengths, gaps = text.strengths_text(profile)
    marking = (
        f"#marking({lit(SYNTHETIC_LABEL)}, {lit(SYNTHETIC_NOTE)})\n" if profile.synthetic else ""
    )
    parts = [
        TEMPLATE,
        f"#show: profile.with(title: {lit(text.title(profile))}, "
        f"subtitle: {lit(text.subtitle(profile))}, confidential: {lit(CONFIDENTIAL)}, "
        f"publisher: {lit(PUBLISHER)}, font: {lit(DEFAULT_FONT)})\n",
        marking,
        "= Kort fortalt\n",
        _paragraphs(text.summary(profile)),
    ]
    if strengths:
        parts += [
            "== Tre styrker: der dere ligger høyest sammenlignet med programmet\n",
            _list(strengths),
            "== Tre områder der dere ligger lavest sammenlignet med programmet\n", _list(gaps),
        ]  # fmt: skip
    parts += [
        "#pagebreak()\n= Faktorene\n",
        say(
            "Figuren viser gruppens gjennomsnitt for hver faktor mot programmets snitt og "
            "spredning (grå felt: snitt ± ett standardavvik). Utviklingsområdene gruppen valgte "
            "er merket med ▶ og uthevet; * betyr at et tall er holdt tilbake fordi for få svarte."
        ),
        "\n\n",
        f'#figure(image(bytes(sys.inputs.figure), format: "svg", width: 100%, '
        f"alt: {lit(text.figure_alt(profile))}))\n",
    ]
    change = text.change_summary(profile)
    if change:
        parts += ["= Endring fra oppstart til avslutning\n", _paragraphs(change)]
    parts += [
        "= Alle tall\n",
        say(
            "Gjennomsnitt på skalaen 1–7. Endringen er avslutning minus oppstart; ± 1,96 SE "
            "er usikkerheten fra spredningen og antallet i gruppens egne svar. Programmets "
            "tall (Progr.) er snittet (standardavviket) av gruppenes gjennomsnitt, bare der "
            f"minst fem grupper har nok svar. {SUPPRESSED_CELL} betyr færre enn "
            f"{text.count_word(profile.min_respondents)} svar: tallet vises ikke, for å verne "
            "den enkeltes svar."
        ),
        "\n\n",
        factor_table(profile),
        "= Spørsmål til gruppens egen samtale\n",
        "\n".join(f"+ {say(q)}" for q in text.questions(profile)) + "\n",
        "= Om profilen\n",
        say(
            "Profilen er fortrolig og laget for ledergruppen alene. Den inneholder bare "
            "gruppens egne svar og tall for programmet som helhet; ingen andre gruppers tall "
            "og ingen fritekstsvar. Den publiseres ikke."
        ),
        "\n",
    ]
    return "".join(parts)


@cache
def compiler() -> typst.Compiler:
    """One Typst compiler per process: the fonts are read once, and its memo serves the next
    profile (the same template every time); the bytes are those of a fresh ``typst.compile``."""
    return typst.Compiler(ignore_system_fonts=True)


def compile_pdf(source: str, svg: bytes, timestamp: int) -> bytes:
    """One Typst compile; a Typst error becomes a RenderError."""
    try:
        return compiler().compile(
            source.encode("utf-8"),
            timestamp=timestamp,
            pdf_standards=list(PDF_STANDARDS),
            sys_inputs={"figure": svg.decode("utf-8")},
        )
    except typst.TypstError as exc:
        raise RenderError(f"Typst could not compile the profile: {exc}") from exc


def write_pdf(source: str, svg: bytes, target: Path, timestamp: int) -> Path:
    """Compiles and writes one profile atomically (a failed compile leaves the last good one)."""
    return write_bytes(target, compile_pdf(source, svg, timestamp))


def profile_path(profiles_dir: Path, profile: Profile) -> Path:
    """``_profiles/kull-NN/<group_id>.pdf`` (DESIGN.md section 4)."""
    return Path(profiles_dir) / f"kull-{profile.kull:02d}" / f"{profile.group_id}.pdf"


def profile_timestamp(as_of: dt.date) -> int:
    """The PDF's date: ``SOURCE_DATE_EPOCH`` when set, else midnight UTC of the edition date.

    The typst wheel ignores the variable, so it is read here, as the report's render does.
    """
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env:
        if not env.isdigit():
            raise RenderError(f"SOURCE_DATE_EPOCH={env!r} is not a whole number of seconds")
        return int(env)
    return int(dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC).timestamp())


TEMPLATE = r"""
#let accent = rgb("#0b4f8a")
#let marking(label, body) = block(
  width: 100%, fill: rgb("#fff4d6"), stroke: 1pt + rgb("#8a5a00"), inset: 8pt, radius: 2pt,
  [#strong(upper(label)) \ #body],
)
#let profile-table(..args) = {
  set text(size: 8pt, hyphenate: false)
  table(
    stroke: (x, y) => if y == 0 { (bottom: 0.7pt) } else { (bottom: 0.3pt + luma(200)) },
    inset: (x: 4pt, y: 3pt),
    ..args,
  )
}
#let profile(title: "", subtitle: "", confidential: "", publisher: "", font: "", body) = {
  set document(title: title, author: publisher)
  set text(font: font, size: 10.5pt, lang: "nb", region: "NO")
  set par(justify: false)
  set page(
    paper: "a4",
    margin: (x: 2cm, top: 2.2cm, bottom: 2cm),
    header: context [#set text(size: 8pt, fill: luma(80)); #confidential #h(1fr) #title],
    footer: context [
      #set text(size: 8pt, fill: luma(80)); #publisher #h(1fr) Side #counter(page).display()
    ],
  )
  show heading.where(level: 1): set text(size: 14pt, fill: accent)
  show heading.where(level: 2): set text(size: 11.5pt)
  block(text(size: 20pt, weight: "bold", fill: accent, hyphenate: false, title))
  block(text(size: 12pt, subtitle))
  block(text(size: 10pt, weight: "bold", upper(confidential)))
  body
}
"""
