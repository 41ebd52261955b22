"""Individual answers that reproduce given group figures exactly.

The pipeline only ever sees respondents, so the calibration lives or dies by this step:
each respondent's scores are noise around the group mean, scaled to stay on the 1-7
scale, rounded to two decimals with the rounding residue handed out cent by cent
(largest remainder), so the mean over the non-missing answers is the group mean to the
last digit. Blanks are placed before the noise is centred, so they do not move it.
"""

from __future__ import annotations

import numpy as np

SCALE_MIN = 1.0
SCALE_MAX = 7.0
PERSON_SD = 0.5
"""A respondent's general leniency, shared across the factors they score."""
ANSWER_SD = 0.6
BLANK_CHANCE = 0.35
"""Chance that a group's wave (with at least MIN_FOR_BLANKS respondents) has a few blanks."""
MIN_FOR_BLANKS = 5


def blank_mask(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """Where answers are missing: now and then one or two, never two in a factor or a row."""
    mask = np.zeros((n, k), dtype=bool)
    if n >= MIN_FOR_BLANKS and rng.random() < BLANK_CHANCE:
        count = int(rng.integers(1, 3))
        rows = rng.choice(n, size=count, replace=False)
        cols = rng.choice(k, size=count, replace=False)
        mask[rows, cols] = True
    return mask


def scores_with_means(
    rng: np.random.Generator, means: np.ndarray, n: int, blanks: np.ndarray
) -> np.ndarray:
    """An ``n`` x ``len(means)`` array of scores (NaN = blank) whose column means are ``means``.

    ``means`` must have two decimals; every column needs at least one non-blank answer.
    """
    k = len(means)
    noise = PERSON_SD * rng.standard_normal((n, 1)) + ANSWER_SD * rng.standard_normal((n, k))
    noise[blanks] = np.nan
    noise -= np.nanmean(noise, axis=0)
    up = np.nanmax(noise, axis=0)
    down = -np.nanmin(noise, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.fmin(
            np.where(up > 0, (SCALE_MAX - means) / up, np.inf),
            np.where(down > 0, (means - SCALE_MIN) / down, np.inf),
        )
    shrink = np.minimum(1.0, 0.999 * room)  # keeps every score inside the scale
    cents = (means + shrink * noise) * 100
    floor = np.floor(cents)
    valid = ~blanks
    wanted = np.rint(means * 100).astype(np.int64) * valid.sum(axis=0)
    missing_cents = wanted - np.where(valid, floor, 0).sum(axis=0).astype(np.int64)
    remainder = np.where(valid, cents - floor, -1.0)
    order = np.argsort(-remainder, axis=0, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n)[:, None].repeat(k, axis=1), axis=0)
    result = (floor + (rank < missing_cents)) / 100
    result[blanks] = np.nan
    return np.round(result, 2)


def split_total(
    rng: np.random.Generator,
    expected: np.ndarray,
    total: int,
    low: np.ndarray,
    high: np.ndarray,
    spread: float = 1.0,
) -> np.ndarray:
    """Whole numbers near ``expected`` (plus noise of SD ``spread``) within [low, high] adding up
    to ``total``.

    Used wherever the report fixes a total (350 leaders, 177 answers, an age sum) but not
    how it is spread. Raises ValueError when the bounds cannot reach the total.
    """
    low, high = np.asarray(low, dtype=np.int64), np.asarray(high, dtype=np.int64)
    if not low.sum() <= total <= high.sum():
        raise ValueError(f"cannot split {total} within bounds summing to {low.sum()}-{high.sum()}")
    noisy = np.rint(expected + rng.normal(0, spread, len(expected)))
    values = np.clip(noisy, low, high).astype(np.int64)
    while (gap := total - int(values.sum())) != 0:
        step = 1 if gap > 0 else -1
        movable = (
            np.flatnonzero(values + step <= high)
            if step > 0
            else np.flatnonzero(values + step >= low)
        )
        chosen = rng.choice(movable, size=min(abs(gap), len(movable)), replace=False)
        values[chosen] += step
    return values
