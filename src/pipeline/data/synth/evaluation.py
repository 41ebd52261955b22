"""Questback answers: per statement, a share of positive answers like Figur 2's.

For the 2019 respondents the counts are exact: each statement gets a few blanks and
"Vet ikke", and then exactly the number of positive answers that gives the published
share of the rest (rounded, so within half a point). Later cohorts draw the count
binomially around the same share. Who answers positively follows a latent leniency per
respondent, so the statements correlate the way one person's answers do.
"""

from __future__ import annotations

import numpy as np

from pipeline.data.codebook import Codebook

HELT_ENIG, DELVIS_ENIG, VERKEN, DELVIS_UENIG, HELT_UENIG, VET_IKKE = range(6)
"""Positions in the codebook's answer scale (checked against its labels in ``answer_labels``)."""
EXPECTED_SCALE = (
    "Helt enig",
    "Delvis enig",
    "Verken enig eller uenig",
    "Delvis uenig",
    "Helt uenig",
    "Vet ikke",
)
BLANK = -1
NEGATIVE_MIX = (0.5, 0.33, 0.17)
"""How the non-positive answers spread over Verken / Delvis uenig / Helt uenig."""


def answer_labels(codebook: Codebook) -> list[str]:
    """The scale's labels, checked so a reordered codebook cannot silently flip answers."""
    labels = codebook.answer_labels
    if tuple(labels) != EXPECTED_SCALE:
        raise ValueError(f"the generator expects the answer scale {EXPECTED_SCALE}, got {labels}")
    return labels


def _item_column(
    rng: np.random.Generator, leniency: np.ndarray, pct: int, exact: bool
) -> np.ndarray:
    n = len(leniency)
    column = np.empty(n, dtype=np.int64)
    order = rng.permutation(n)
    blanks = int(rng.integers(0, 4))
    dont_know = int(rng.binomial(n, 0.03 + 0.07 * (pct < 50)))
    column[order[:blanks]] = BLANK
    column[order[blanks : blanks + dont_know]] = VET_IKKE
    answering = order[blanks + dont_know :]
    valid = len(answering)
    if exact:
        positive = int(np.floor(pct * valid / 100 + 0.5))
    else:
        positive = int(rng.binomial(valid, pct / 100))
    agreement = leniency[answering] + rng.normal(0, 0.8, valid)
    ranked = answering[np.argsort(-agreement, kind="stable")]
    strong = round(positive * (0.2 + 0.4 * pct / 100))
    column[ranked[:strong]] = HELT_ENIG
    column[ranked[strong:positive]] = DELVIS_ENIG
    rest = valid - positive
    cuts = np.cumsum(np.rint(np.array(NEGATIVE_MIX[:2]) * rest)).astype(int)
    negatives = ranked[positive:]
    column[negatives[: cuts[0]]] = VERKEN
    column[negatives[cuts[0] : cuts[1]]] = DELVIS_UENIG
    column[negatives[cuts[1] :]] = HELT_UENIG
    return column


def answer_matrix(
    rng: np.random.Generator, n: int, pct_by_item: list[int], exact: bool
) -> np.ndarray:
    """``n`` respondents x items of scale positions (BLANK = not answered)."""
    leniency = rng.standard_normal(n)
    return np.column_stack([_item_column(rng, leniency, pct, exact) for pct in pct_by_item])
