"""The one paragraph the PDF keeps of the technical record (checksums stay on the site).

A leadership report has no room for file names, SHA-256 sums and package versions: those
stay in the HTML site's technical appendix and in ``build-manifest.json``. The printed
report says what the data are, their date, which code version built it and where the full
record is (the site); ``python -m pipeline provenance`` writes this beside ``_proveniens.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pipeline.data.layout import kull_list
from pipeline.format.numbers import fmt_date

SHORT_COMMIT = 7
RECORD_FILE = "_teknisk_kort.md"


def short_code_version(code: Mapping[str, object]) -> str:
    """``273c334`` (plus a note when the working copy had changes), or "ukjent"."""
    commit = code.get("commit")
    if not commit:
        return "ukjent versjon (ikke en git-arbeidskopi)"
    text = f"versjon {str(commit)[:SHORT_COMMIT]}"
    return text + (" med lokale endringer" if code.get("dirty") else "")


def _data_text(prov: Mapping[str, object]) -> str:
    """What the data are: synthetic, real, or which cohorts are which (DESIGN.md section 10)."""
    synthetic = [int(k) for k in prov.get("synthetic_cohorts") or []]  # type: ignore[attr-defined]
    real = [int(k) for k in prov.get("real_cohorts") or []]  # type: ignore[attr-defined]
    fake = "syntetiske data med oppdiktede svar"
    answers = "deltakernes svar på Effect-kartleggingene og sluttevalueringen"
    if synthetic and real:
        return f"{answers} (kull {kull_list(real)}) og {fake} (kull {kull_list(synthetic)})"
    return fake if synthetic or (prov.get("synthetic") and not real) else answers


def record_paragraph(prov: Mapping[str, object]) -> str:
    """The PDF's paragraph: the data, the data date, the code version, where the rest is."""
    params = prov.get("parameters") or {}
    as_of = params.get("as_of") if isinstance(params, Mapping) else None
    when = fmt_date(dt.date.fromisoformat(str(as_of))) if as_of else "ukjent dato"
    data = _data_text(prov)
    code = prov.get("code") or {}
    version = short_code_version(code if isinstance(code, Mapping) else {})
    return (
        f"Denne utgaven bygger på {data}, med datagrunnlag per {when}. Tallene er beregnet "
        f"med programkoden i {version}. Hvilke datafiler, programvareversjoner og "
        "innstillinger den bygger på, står i den tekniske dokumentasjonen i HTML-utgaven av "
        "rapporten (vedlegg C).\n"
    )
