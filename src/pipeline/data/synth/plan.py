"""Decides everything about every group (members, answers, areas) before anything is written.

The real programme (kull 0-16) is planned as one piece, because the 2019 figures are
totals across groups; each benchmark cohort (kull 17+) is planned on its own. Every part
draws from its own random stream, keyed by the seed and a fixed number, so adding extra
cohorts (``scale``) or changing one part leaves the others' numbers unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from pipeline.data.codebook import Codebook
from pipeline.data.synth import targets as tg
from pipeline.data.synth.calibrate import (
    GroupScores,
    calibrated_scores,
    followup_scores,
    modelled_scores,
)
from pipeline.data.synth.cohorts import Group, extra_groups, real_groups
from pipeline.data.synth.devareas import deal_areas, random_areas
from pipeline.data.synth.evaluation import answer_matrix
from pipeline.data.synth.people import (
    Member,
    members_with_totals,
    random_members,
    sizes_with_total,
)
from pipeline.data.synth.respondents import blank_mask, scores_with_means, split_total

AS_OF_2019 = dt.date(2019, 6, 30)
RESPONSE_RATE = tg.EVALUATION_RESPONDENTS / tg.EVALUATED_MEMBERS
EFFECT_TURNOUT = 0.6
"""At least this share of a group answers each Effect wave (and never fewer than 3)."""
FOLLOWUP_GROUPS = 3
"""Groups answering wave 3, from each of kull 5-7 and kull 9-11."""
UNPAIRED_WAVE2 = 2
"""Wave-2 respondents of the one ended group that is not paired (below min_respondents).

That group fell away at the end: it has no evaluation answers either, so the evaluated
groups (ended, at least one answer) are the 31 paired ones, as the report's "31 groups
invited" says."""

PEOPLE, EFFECT, EVALUATION, AREAS = 1, 2, 3, 4
EXTRA_STREAM = 100


@dataclass
class GroupPlan:
    """One group and all it contributes to the raw files."""

    group: Group
    members: list[Member]
    waves: dict[int, np.ndarray] = field(default_factory=dict)
    """Effect scores per wave: respondents x factors, NaN = blank."""
    evaluation: np.ndarray | None = None
    """Questback answers: respondents x items, positions in the answer scale (-1 = blank)."""
    areas: list[int] = field(default_factory=list)
    """Indices of the chosen factors, in codebook order."""


def stream(seed: int, *keys: int) -> np.random.Generator:
    """An independent generator for one part of the data."""
    return np.random.default_rng([seed, *keys])


def ordered_targets(codebook: Codebook) -> dict[str, tg.FactorTarget]:
    """The factor targets in codebook order; the keys must be the codebook's."""
    if set(codebook.factor_keys) != set(tg.FACTORS):
        raise ValueError("the codebook's Effect factors differ from the calibration targets")
    return {key: tg.FACTORS[key] for key in codebook.factor_keys}


def _item_pct(codebook: Codebook) -> list[int]:
    return [tg.EVALUATION_PCT[key] for key in codebook.item_keys]


def _devarea_counts(codebook: Codebook) -> np.ndarray:
    counts = tg.devarea_targets()
    return np.array([counts[key] for key in codebook.factor_keys])


def _turnout(rng: np.random.Generator, size: int) -> int:
    return int(rng.integers(max(tg.MIN_RESPONDENTS, int(np.ceil(EFFECT_TURNOUT * size))), size + 1))


def _add_waves(
    rng: np.random.Generator, plan: GroupPlan, means: dict[int, np.ndarray], counts: dict[int, int]
) -> None:
    for wave in sorted(means):
        n, k = counts[wave], len(means[wave])
        plan.waves[wave] = scores_with_means(rng, means[wave], n, blank_mask(rng, n, k))


def _row(scores: GroupScores, i: int) -> dict[int, np.ndarray]:
    return {1: scores.t1[i], 2: scores.t2[i]}


def _plan_effect(
    rng: np.random.Generator,
    plans: list[GroupPlan],
    targets: dict[str, tg.FactorTarget],
    unpaired: int,
) -> list[int]:
    """Effect waves for the real groups; returns the indices of the 31 paired groups.

    ``unpaired`` (the ended group with too few wave-2 answers) is ``rng``'s first draw,
    taken by the caller because the group sizes depend on it; the draws here follow it.
    """
    ended = [i for i, p in enumerate(plans) if p.group.end <= AS_OF_2019]
    paired = [i for i in ended if i != unpaired]
    others = [i for i in range(len(plans)) if i not in paired]
    calibrated = calibrated_scores(rng, targets)
    modelled = modelled_scores(rng, targets, len(others))
    means = {i: _row(calibrated, j) for j, i in enumerate(paired)}
    means |= {i: _row(modelled, j) for j, i in enumerate(others)}
    followup = [
        int(i)
        for pool, cohorts in ((paired, (5, 6, 7)), (others, (9, 10, 11)))
        for i in rng.choice(
            [i for i in pool if plans[i].group.kull in cohorts], FOLLOWUP_GROUPS, False
        )
    ]
    for i in sorted(followup):
        scores = GroupScores(means[i][1][None, :], means[i][2][None, :])
        means[i][3] = followup_scores(rng, scores)[0]
    for i, plan in enumerate(plans):
        size = len(plan.members)
        counts = {wave: _turnout(rng, size) for wave in means[i]}
        if i == unpaired:
            counts[2] = UNPAIRED_WAVE2
        if 3 in counts:
            counts[3] = int(rng.integers(tg.MIN_RESPONDENTS, max(tg.MIN_RESPONDENTS, size - 2) + 1))
        _add_waves(rng, plan, means[i], counts)
    return paired


def _plan_evaluation(
    rng: np.random.Generator, plans: list[GroupPlan], paired: list[int], pct: list[int]
) -> None:
    """177 exact answers over the 31 paired groups, free draws for the groups ending later.

    The one unpaired ended group gets no answers (``UNPAIRED_WAVE2``), so it is not an
    evaluated group and its members stay out of the response rate.
    """
    evaluated = [plans[i] for i in paired]
    later = [p for p in plans if p.group.end > AS_OF_2019]
    sizes = np.array([len(p.members) for p in evaluated])
    counts = split_total(
        rng, RESPONSE_RATE * sizes, tg.EVALUATION_RESPONDENTS, np.ones_like(sizes), sizes
    )
    _deal_rows(answer_matrix(rng, int(counts.sum()), pct, exact=True), evaluated, counts)
    later_counts = np.array(
        [max(1, rng.binomial(len(p.members), RESPONSE_RATE)) for p in later], dtype=np.int64
    )
    _deal_rows(answer_matrix(rng, int(later_counts.sum()), pct, exact=False), later, later_counts)


def _deal_rows(matrix: np.ndarray, plans: list[GroupPlan], counts: np.ndarray) -> None:
    bounds = np.concatenate([[0], np.cumsum(counts)])
    for plan, start, stop in zip(plans, bounds[:-1], bounds[1:], strict=True):
        plan.evaluation = matrix[start:stop]


def _plan_areas(
    rng: np.random.Generator, plans: list[GroupPlan], paired: list[int], counts: np.ndarray
) -> None:
    """Exact counts over the paired groups (preferring groups that gained), free draws else."""
    gains = np.array(
        [
            np.nanmean(plans[i].waves[2], axis=0) - np.nanmean(plans[i].waves[1], axis=0)
            for i in paired
        ]
    )
    preference = gains + rng.normal(0, 0.2, gains.shape)
    for i, areas in zip(paired, deal_areas(rng, counts, preference), strict=True):
        plans[i].areas = sorted(areas)
    weights = counts + 1.0
    for i, plan in enumerate(plans):
        if i not in paired:
            plan.areas = random_areas(rng, weights)


def _sizes(
    rng: np.random.Generator, ended: int, unpaired: int, running: int, later: int
) -> np.ndarray:
    """Members per group, in kull order: 264 in the 31 evaluated (paired) groups, 350 with
    the unpaired ended group (index ``unpaired``) and the running ones, 485 in all.

    The 350 - 264 = 86 left for the unpaired group and the 16 running groups allow 5
    members each and one 6 among them.
    """
    low, high = tg.MIN_GROUP_SIZE, tg.MAX_GROUP_SIZE
    evaluated = sizes_with_total(rng, ended - 1, tg.EVALUATED_MEMBERS, low, high, extremes=True)
    small = sizes_with_total(
        rng, running + 1, tg.LEADERS_2019 - tg.EVALUATED_MEMBERS, low, low + 2, extremes=False
    )
    return np.concatenate(
        [
            np.insert(evaluated, unpaired, small[0]),
            small[1:],
            sizes_with_total(
                rng, later, tg.LEADERS_2021 - tg.LEADERS_2019, low + 1, high - 1, extremes=False
            ),
        ]
    )


def plan_real(seed: int, codebook: Codebook) -> list[GroupPlan]:
    """The 63 groups of kull 0-16, calibrated to the 2019 report."""
    targets = ordered_targets(codebook)
    groups = real_groups()
    ended = [g for g in groups if g.end <= AS_OF_2019]
    running = [g for g in groups if g.start <= AS_OF_2019 < g.end]
    later = [g for g in groups if g.start > AS_OF_2019]
    if (len(ended), len(ended) + len(running)) != (tg.PAIRED_GROUPS + 1, tg.GROUPS_2019):
        raise ValueError("the cohort dates no longer match the 2019 edition")
    effect_rng = stream(seed, EFFECT)
    unpaired = int(effect_rng.choice(len(ended)))  # ended groups come first in kull order
    rng = stream(seed, PEOPLE)
    sizes = _sizes(rng, len(ended), unpaired, len(running), len(later))
    people = members_with_totals(rng, tg.LEADERS_2019, tg.MEN_2019, tg.MEAN_AGE_2019)
    people += random_members(rng, int(sizes[len(ended) + len(running) :].sum()), tg.MEAN_AGE_2019)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    plans = [  # ended + running + later is kull order, the order the files list groups in
        GroupPlan(g, people[start:stop])
        for g, start, stop in zip(ended + running + later, bounds[:-1], bounds[1:], strict=True)
    ]
    paired = _plan_effect(effect_rng, plans, targets, unpaired)
    _plan_evaluation(stream(seed, EVALUATION), plans, paired, _item_pct(codebook))
    _plan_areas(stream(seed, AREAS), plans, paired, _devarea_counts(codebook))
    return plans


def plan_extra(seed: int, kull: int, size: int, codebook: Codebook) -> list[GroupPlan]:
    """A fictional benchmark cohort: the real groups' make-up, without calibration."""
    targets = ordered_targets(codebook)
    rng = stream(seed, EXTRA_STREAM, kull)
    groups = extra_groups(kull, size)
    sizes = rng.integers(tg.MIN_GROUP_SIZE, tg.MAX_GROUP_SIZE + 1, size)
    plans = [
        GroupPlan(g, random_members(rng, int(n), tg.MEAN_AGE_2019))
        for g, n in zip(groups, sizes, strict=True)
    ]
    scores = modelled_scores(rng, targets, size)
    for i, plan in enumerate(plans):
        means = _row(scores, i)
        _add_waves(rng, plan, means, {w: _turnout(rng, len(plan.members)) for w in means})
    counts = np.array([max(1, rng.binomial(len(p.members), RESPONSE_RATE)) for p in plans])
    _deal_rows(
        answer_matrix(rng, int(counts.sum()), _item_pct(codebook), exact=False), plans, counts
    )
    weights = _devarea_counts(codebook) + 1.0
    for plan in plans:
        plan.areas = random_areas(rng, weights)
    return plans
