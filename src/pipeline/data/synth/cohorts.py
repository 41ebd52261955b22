"""The cohorts (kull) and groups the synthetic tree holds: the real programme, plus extras.

The 16 real cohorts carry the organisations of the programme's web page (published.yaml,
``cohorts``), under the name each had while it took part (``RENAMED``); their dates follow
its history: a pilot in 2015-2016, the programme from August 2016, three cohorts a year,
about nine months each (plus a summer break for the cohorts that straddle one), and every
group done by December 2021. The dates put exactly kull 0-7 and 9-12 before 2019-06-30 and
exactly kull 0-7 ended by then, as the 2019 report's figures require.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from pipeline.errors import PipelineError

NOT_GIVEN = "ikke oppgitt"
"""Kull 16's fourth group is unnamed on the web page ("+ en ledergruppe til"); the
synthetic data say so instead of inventing an organisation (issue 14)."""

RENAMED = {"Statens strålevern": "Direktoratet for strålevern og atomsikkerhet"}
"""Web-page names (published.yaml, ``cohorts``) that had changed while the group took part:
Statens strålevern became DSA on 1 January 2019, during kull 11, and the 2019 report lists
it as DSA. Groups carry the name of their time in the programme."""

FIRST_EXTRA_KULL = 17
LAST_KULL = 99
"""Folder names are ``kull-NN`` with two digits (DESIGN.md section 2)."""
GROUPS_PER_COHORT = 4


@dataclass(frozen=True)
class Cohort:
    kull: int
    start: dt.date
    end: dt.date
    organisations: tuple[str, ...]


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


REAL_COHORTS: tuple[Cohort, ...] = (
    Cohort(
        0,
        _d("2015-09-15"),
        _d("2016-06-09"),
        (
            "Nærings- og fiskeridepartementet",
            "Klima- og miljødepartementet",
            "Helsedirektoratet",
            "Norges vassdrags- og energidirektorat",
        ),
    ),
    Cohort(
        1,
        _d("2016-08-30"),
        _d("2017-05-11"),
        (
            "Helse- og omsorgsdepartementet",
            "Kommunal- og moderniseringsdepartementet",
            "Utdanningsdirektoratet",
            "Barne-, ungdoms- og familiedirektoratet",
        ),
    ),
    Cohort(
        2,
        _d("2016-09-27"),
        _d("2017-06-08"),
        (
            "Konkurransetilsynet",
            "Miljødirektoratet",
            "Mattilsynet",
            "Direktoratet for økonomistyring",
        ),
    ),
    Cohort(
        3,
        _d("2016-10-11"),
        _d("2017-06-22"),
        (
            "Arbeids- og velferdsdirektoratet",
            "Skattedirektoratet",
            "Tolldirektoratet",
            "Lånekassen",
        ),
    ),
    Cohort(
        4,
        _d("2016-11-22"),
        _d("2017-09-07"),
        (
            "Kunnskapsdepartementet",
            "Barne- og likestillingsdepartementet",
            "Kulturdepartementet",
            "Landbruks- og matdepartementet",
        ),
    ),
    Cohort(
        5,
        _d("2017-09-05"),
        _d("2018-05-31"),
        ("Sjøfartsdirektoratet", "Oljedirektoratet", "Petroleumstilsynet", "Kystverket"),
    ),
    Cohort(
        6,
        _d("2017-10-10"),
        _d("2018-06-14"),
        (
            "Forsvarsdepartementet",
            "Justis- og beredskapsdepartementet",
            "Arbeids- og sosialdepartementet",
            "Finansdepartementet",
        ),
    ),
    Cohort(
        7,
        _d("2017-11-14"),
        _d("2018-08-30"),
        (
            "Direktoratet for e-helse",
            "Arkivverket",
            "Brønnøysundregistrene",
            "Direktoratet for forvaltning og IKT",
        ),
    ),
    Cohort(
        9,
        _d("2018-09-25"),
        _d("2019-09-05"),
        (
            "Politidirektoratet",
            "Utlendingsdirektoratet",
            "Integrerings- og mangfoldsdirektoratet",
            "Kriminalomsorgsdirektoratet",
        ),
    ),
    Cohort(
        10,
        _d("2018-11-06"),
        _d("2019-10-17"),
        (
            "Jernbanedirektoratet",
            "Legemiddelverket",
            "Nasjonal kommunikasjonsmyndighet",
            "Folkehelseinstituttet",
        ),
    ),
    Cohort(
        11,
        _d("2018-12-11"),
        _d("2019-11-21"),
        ("Datatilsynet", "Forbrukertilsynet", "Statens helsetilsyn", "Statens strålevern"),
    ),
    Cohort(
        12,
        _d("2019-05-14"),
        _d("2020-02-27"),
        (
            "Kartverket",
            "Forsvarsbygg",
            "Departementenes sikkerhets- og serviceorganisasjon",
            "Forsvarsmateriell",
        ),
    ),
    Cohort(
        13,
        _d("2019-09-03"),
        _d("2020-06-11"),
        ("Statistisk sentralbyrå", "Statens vegvesen", "Riksantikvaren"),
    ),
    Cohort(
        14,
        _d("2019-10-22"),
        _d("2020-09-24"),
        (
            "Direktoratet for byggkvalitet",
            "Jernbanetilsynet",
            "Norsk pasientskadeerstatning",
            "Statens sivilrettsforvaltning",
        ),
    ),
    Cohort(
        15,
        _d("2021-01-19"),
        _d("2021-10-28"),
        (
            "Direktoratet for forvaltning og økonomistyring",
            "Direktoratet for samfunnssikkerhet og beredskap",
            "Nasjonal sikkerhetsmyndighet",
            "Norsk institutt for bioøkonomi",
        ),
    ),
    Cohort(
        16,
        _d("2021-02-23"),
        _d("2021-11-25"),
        ("Trygderetten", "Språkrådet", "NOKUT", NOT_GIVEN),
    ),
)


@dataclass(frozen=True)
class Group:
    """One leader group: its identity and where it sits in the 2019 calibration."""

    kull: int
    number: int
    organisation: str
    org_type: str
    start: dt.date
    end: dt.date

    @property
    def group_id(self) -> str:
        return f"k{self.kull:02d}-g{self.number}"


def org_type_of(organisation: str) -> str:
    """Ministries are the names ending in "departementet"; every other body is a directorate."""
    return "departement" if organisation.endswith("departementet") else "direktorat"


def real_groups() -> list[Group]:
    """The 63 groups of the programme, in kull and group order."""
    return [
        Group(c.kull, i, RENAMED.get(org, org), org_type_of(org), c.start, c.end)
        for c in REAL_COHORTS
        for i, org in enumerate(c.organisations, start=1)
    ]


def extra_cohort_sizes(scale: int) -> dict[int, int]:
    """Groups per extra cohort (kull 17-99) so that the tree holds ``63 * scale`` groups.

    Extra cohorts get four groups each while the 83 free numbers last; beyond that (scale
    above 6) every extra cohort grows instead, spreading the groups evenly, so kull-NN
    folder names stay two digits and 10x or 100x the groups still fit.
    """
    if scale < 1:
        raise PipelineError(f"scale must be a whole number of at least 1, got {scale}")
    extra = len(real_groups()) * (scale - 1)
    if extra == 0:
        return {}
    free = LAST_KULL - FIRST_EXTRA_KULL + 1
    n_cohorts = min(free, math.ceil(extra / GROUPS_PER_COHORT))
    base, rest = divmod(extra, n_cohorts)
    return {FIRST_EXTRA_KULL + i: base + (1 if i < rest else 0) for i in range(n_cohorts)}


def extra_groups(kull: int, size: int) -> list[Group]:
    """Fictional groups for benchmark cohorts, dated like the real cohort they mirror.

    Borrowing a real cohort's dates (cycling through them) keeps every edition's share of
    extra groups proportional, so a 10x tree makes the 2019 edition 10x as large too.
    """
    mirror = REAL_COHORTS[(kull - FIRST_EXTRA_KULL) % len(REAL_COHORTS)]
    groups = []
    for number in range(1, size + 1):
        org_type = "departement" if number % 4 == 1 else "direktorat"
        name = f"Fiktivt {org_type} {kull}.{number}"
        groups.append(Group(kull, number, name, org_type, mirror.start, mirror.end))
    return groups
