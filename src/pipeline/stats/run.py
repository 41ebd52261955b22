"""The statistics stage end to end: processed tables in, results and report fragments out.

``compute_results`` does every calculation before anything is written, so a failing
edition (e.g. too few paired groups) leaves the last good outputs in place; the files
are then written one by one through ``pipeline.atomic`` (temporary file + ``os.replace``).
Outputs are deterministic: sorted rows, ``%.10g`` floats, ``\\n`` line ends, sorted JSON
keys and no timestamps.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.atomic import write_text
from pipeline.data.codebook import Codebook, load_codebook
from pipeline.data.programme import load_programme
from pipeline.report import tables
from pipeline.report.edition import edition_metadata, edition_yaml
from pipeline.report.effect_model import effect_model_markdown
from pipeline.report.publication import edition, edition_variables
from pipeline.report.published import load_published
from pipeline.report.quotes import load_free_text, load_quotes, quote_fragments
from pipeline.report.variables import build_variables, last_end_text, variables_yaml
from pipeline.stats import devareas, effect, evaluation, facts, followup, selection
from pipeline.stats.group_change import group_changes, respondent_scores
from pipeline.stats.inputs import Processed, load_processed
from pipeline.stats.mixed_model import effect_model
from pipeline.stats.params import StatsParams

FLOAT_FORMAT = "%.10g"


@dataclass(frozen=True)
class Results:
    """Everything the stage computed; the notebook shows it, ``run_statistics`` saves it."""

    params: StatsParams
    summary: dict
    effect_factors: pd.DataFrame
    change_counts: pd.DataFrame
    gtei_groups: pd.DataFrame
    followup: pd.DataFrame
    evaluation_items: pd.DataFrame
    participants: pd.DataFrame
    effect_model: pd.DataFrame
    devarea_change: pd.DataFrame


def _data_kind(validation: dict, kulls: pd.Series) -> dict[str, object]:
    """Which of the cohorts the edition analyses are synthetic (their marker, DESIGN.md §10)."""
    used = sorted({int(k) for k in kulls})
    marked = set(validation.get("synthetic_cohorts", []))
    synthetic = [k for k in used if k in marked]
    return {
        "synthetic": bool(synthetic),
        "synthetic_cohorts": synthetic,
        "real_cohorts": [k for k in used if k not in marked],
    }


def compute_results(data: Processed, params: StatsParams, codebook: Codebook) -> Results:
    """All analyses of DESIGN.md section 3 for one edition (``params``)."""
    keys = codebook.factor_keys
    started = selection.started_groups(data.groups, params)
    ended = selection.ended_groups(data.groups, params)
    paired = selection.paired_groups(data.effect, ended, keys, params)

    scores = effect.group_scores(data.effect, ended["group_id"], keys)
    t1 = effect.wave_scores(scores, 1, paired)
    t2 = effect.wave_scores(scores, 2, paired)
    dev_counts = effect.development_area_counts(data.development_areas, paired, keys)
    respondents = respondent_scores(
        data.effect.loc[data.effect["group_id"].isin(paired) & data.effect["wave"].isin([1, 2])],
        keys,
    )
    table2 = effect.effect_table(t1, t2, codebook, dev_counts, params.confidence)
    table2 = effect.effect_sizes(table2, t1, t2, respondents)
    table1 = effect.change_counts(t1, t2, codebook, params.positive_threshold)
    gtei_sd1 = float(table2.loc[table2["factor"] == effect.GTEI, "t1_sd"].iloc[0])
    changes = group_changes(
        data.effect, paired, keys, min_respondents=params.min_respondents,
        z=params.clear_change_z,
    )  # fmt: skip
    gtei_se = changes[changes["factor"] == effect.GTEI].set_index("group_id")["se_change"]
    per_group = effect.gtei_groups(
        t1, t2, ended, gtei_sd1, params.reliability, gtei_se, params.clear_change_z
    )
    correlation = effect.dev_area_correlation(table2)
    chosen = devareas.chosen_matrix(data.development_areas, paired, keys)
    within = devareas.devarea_change(t1, t2, chosen, params.confidence)
    corr_ci = devareas.bootstrap_correlation(t1, t2, chosen, params.confidence)
    model = effect_model(data.effect, paired, keys, params.confidence)
    followers = selection.followup_groups(data.effect, ended, keys, params)
    follow = effect.followup_table(scores, followers, codebook)

    responses = evaluation.respondents(data.evaluation, ended["group_id"], codebook.item_keys)
    items = evaluation.item_table(responses, codebook)

    summary = {
        "as_of": params.as_of.isoformat(),
        **_data_kind(data.validation, started["kull"]),
        "parameters": params.as_dict(),
        "facts": facts.facts(started, data.members),
        "evaluation": evaluation.response_summary(responses, data.members, ended["group_id"]),
        "effect": {
            "groups_ended": len(ended),
            "paired_groups": len(paired),
            "reliability": params.reliability,
            **effect.effect_summary(table2, per_group),
        },
        "correlation": {
            "r": correlation.r,
            "p": correlation.p,
            "n_factors": correlation.n_factors,
            "boot_ci_low": corr_ci.low,
            "boot_ci_high": corr_ci.high,
            "boot_resamples": corr_ci.resamples,
        },
        "model": _model_summary(model, table2),
        "devarea": {**within.iloc[0].to_dict(), "n_groups": int(within["n_groups"].iloc[0])},
        "followup": followup.followup_summary(scores, followers, params.confidence),
    }
    return Results(
        params=params,
        summary=_jsonable(summary),
        effect_factors=table2,
        change_counts=table1,
        gtei_groups=per_group,
        followup=follow,
        evaluation_items=items,
        participants=facts.participants(started, data.members, params.as_of),
        effect_model=model,
        devarea_change=within,
    )


def _model_summary(model: pd.DataFrame, table2: pd.DataFrame) -> dict[str, object]:
    """The mixed model's GTEI row and counts the prose states beside Table 2's."""
    gtei = model[model["factor"] == effect.GTEI].iloc[0]
    factors = model[model["factor"] != effect.GTEI]
    t_factors = table2[table2["factor"] != effect.GTEI]
    alpha = effect.SIGNIFICANCE
    return {
        "gtei_estimate": gtei["estimate"],
        "gtei_ci_low": gtei["ci_low"],
        "gtei_ci_high": gtei["ci_high"],
        "gtei_p": gtei["p"],
        "gtei_random_slope": bool(gtei["random_slope"]),
        "n_factors": len(factors),
        "n_random_slope": int(factors["random_slope"].fillna(False).sum()),
        "n_fallback": int((factors["random_slope"] == False).sum()),  # noqa: E712 (NA stays out)
        "n_significant": int((factors["p"] < alpha).sum()),
        "n_significant_holm": int((factors["p_holm"] < alpha).sum()),
        "n_significant_t_holm": int((t_factors["p_holm"] < alpha).sum()),
    }


def _jsonable(value: object) -> object:
    """Plain JSON types: numpy scalars unwrapped, NaN as null (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    return value


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(
        index=False, float_format=FLOAT_FORMAT, lineterminator="\n", date_format="%Y-%m-%d"
    )


def result_files(results: Results) -> dict[str, str]:
    """File name → text for ``data/processed/results/``."""
    summary = json.dumps(results.summary, sort_keys=True, indent=2, ensure_ascii=False)
    return {
        "effect_factors.csv": _csv(results.effect_factors),
        "effect_change_counts.csv": _csv(results.change_counts),
        "evaluation_items.csv": _csv(results.evaluation_items),
        "gtei_groups.csv": _csv(results.gtei_groups),
        "effect_followup.csv": _csv(results.followup),
        "participants.csv": _csv(results.participants),
        "effect_model.csv": _csv(results.effect_model),
        "devarea_change.csv": _csv(results.devarea_change),
        "summary.json": summary + "\n",
    }


def generated_files(
    results: Results, validation: dict, codebook: Codebook, programme: dict | None
) -> dict[str, str]:
    """Relative path → text for ``report/_generated/``."""
    summary = results.summary
    paired = summary["effect"]["paired_groups"]
    variables = build_variables(
        summary,
        results.effect_factors,
        results.change_counts,
        results.evaluation_items,
        programme,
        model=results.effect_model,
        participants=results.participants,
        published=load_published(),
    )
    variables["definisjon"] = {f.key: f.definition for f in codebook.factors}
    p = results.params
    variables["edition"] |= edition_variables(edition(p.as_of))
    variables["edition"]["last_end"] = last_end_text(results.participants)
    return {
        "_variables.yml": variables_yaml(variables),
        "_effect_model.md": effect_model_markdown(codebook),
        "tables/_tabell1.md": tables.tabell1(results.change_counts, p.positive_threshold, paired),
        "tables/_tabell2.md": tables.tabell2(results.effect_factors, p.confidence, paired),
        "tables/_modell.md": tables.modelltabell(
            results.effect_model, results.effect_factors, p.confidence
        ),
        "tables/_evaluering.md": tables.evaluering(
            results.evaluation_items, codebook, summary["evaluation"]
        ),
        "tables/_deltakere.md": tables.deltakere(results.participants, p.as_of, p.cohorts),
        "tables/_inndata.md": tables.inndata(validation),
    }


def edition_files(
    processed_dir: Path,
    data: Processed,
    params: StatsParams,
    codebook: Codebook,
    synthetic: bool,
    quotes_file: Path | None,
) -> dict[str, str]:
    """The edition's metadata file and its quotes (none when ``quotes_file`` is absent)."""
    metadata = edition_metadata(data.groups, edition(params.as_of), synthetic)
    files = {"_edition.yml": edition_yaml(metadata)}
    if quotes_file is not None and quotes_file.is_file():
        files |= quote_fragments(
            load_quotes(quotes_file),
            data.evaluation,
            load_free_text(processed_dir),
            codebook.item_keys,
            selection.ended_groups(data.groups, params)["group_id"],
            params.min_respondents,
            synthetic,
        )
    return files


def run_statistics(
    processed_dir: Path,
    results_dir: Path,
    generated_dir: Path,
    params: StatsParams,
    codebook: Codebook | None = None,
    programme: dict | None = None,
    quotes_file: Path | None = None,
) -> Results:
    """Loads the processed data, computes one edition and writes every output file.

    ``programme`` defaults to the ``design`` of ``data/reference/programme.yaml``;
    ``quotes_file`` (the notebook passes ``report/sitater.yml``) names the quotes to resolve,
    none when it is None or absent. Returns the
    results for display; raises AnalysisError (writing nothing) when the edition cannot
    support the statistics.
    """
    codebook = codebook or load_codebook()
    programme = programme if programme is not None else load_programme().design
    data = load_processed(Path(processed_dir))
    results = compute_results(data, params, codebook)
    texts = {Path(results_dir) / name: text for name, text in result_files(results).items()}
    generated = generated_files(results, data.validation, codebook, programme)
    synthetic = bool(results.summary.get("synthetic"))
    generated |= edition_files(Path(processed_dir), data, params, codebook, synthetic, quotes_file)
    texts |= {Path(generated_dir) / name: text for name, text in generated.items()}
    for path, text in sorted(texts.items()):
        write_text(path, text)
    return results
