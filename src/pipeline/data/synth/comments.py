"""Synthetic free-text answers for the evaluation's ``kommentar`` column.

The real Questback export has a free-text field; the synthetic tree needs one too, so that
the report's quotes (report/sitater.yml) can be chosen and checked the same way. Every text
here was written for the generator: none is a real participant's answer, and none names a
person or an organisation. A text is picked from the respondent's id with a hash, not with
the calibration's random stream, so adding the column moves no calibrated number.
"""

from __future__ import annotations

import hashlib

SYNTHETIC_TAG = "[syntetisk] "
"""Every synthetic answer starts with this tag, so a quote from it is marked wherever it goes."""

SHARE_WITH_COMMENT = 0.35
"""About a third of the respondents write something in the free-text field."""

TEXTS: tuple[str, ...] = (
    "Vi har fått et felles språk for å snakke om hvordan vi jobber sammen som ledergruppe.",
    "Det viktigste var å se at de andre gruppene strever med mye av det samme som oss.",
    "Møtene våre er kortere nå, og vi bruker mer av tiden på saker som faktisk krever oss alle.",
    "Kartleggingen ved starten var ubehagelig å lese, men den ga oss noe konkret å ta tak i.",
    "Jeg har blitt mer bevisst på hva jeg selv bidrar med i gruppen, ikke bare i egen avdeling.",
    "Samtalene med de andre toppledergruppene ga perspektiver vi ikke ville fått internt.",
    "Vi sier oftere ifra når vi er uenige, og det har gjort diskusjonene bedre.",
    "Det tok tid før vi skjønte at dette handlet om oss som gruppe og ikke om enkeltpersoner.",
    "Programmet krevde mer tid enn vi hadde satt av, men det var tiden verdt.",
    "Vi evaluerer nå hvert ledermøte kort, og det har blitt en vane vi vil holde fast ved.",
    "Å arbeide med våre egne saker underveis gjorde at det ble relevant fra første dag.",
    "Jeg savnet mer tid mellom samlingene til å prøve ut det vi hadde diskutert.",
    "Vi har begynt å spørre hvem andre i staten som sitter med den samme utfordringen.",
    "Tilliten i gruppen er større, og vi deler mer av det som er uferdig.",
    "Det var nyttig å få speilet hvordan vi fordeler tiden mellom drift og strategi.",
    "Vi har ryddet i sakslisten og sender mer til avdelingene som hører hjemme der.",
    "Noen av temaene var kjent fra før, men arbeidet i egen gruppe ga dem nytt innhold.",
    "Samlingene ga rom for refleksjon som det sjelden er plass til i en travel hverdag.",
    "Vi har fått bedre forståelse for hverandres fagområder og hva de andre står i.",
    "Det er lettere å ta opp vanskelige saker nå enn da vi startet.",
)


def comment_for(respondent_id: str) -> str:
    """The respondent's synthetic free-text answer, or "" for one who wrote nothing."""
    digest = hashlib.sha256(respondent_id.encode("utf-8")).digest()
    if digest[0] / 256 >= SHARE_WITH_COMMENT:
        return ""
    return SYNTHETIC_TAG + TEXTS[int.from_bytes(digest[1:3], "big") % len(TEXTS)]
