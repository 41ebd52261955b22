"""The report's fragments of one edition, from the statistics stage's results.

The statistics notebook runs this step after ``pipeline.stats.run.run_statistics``:
``_variables.yml``, the pipe tables, appendix B's Effect model, the edition metadata and
the chosen quotes in ``report/_generated/`` (docs/architecture.md, "Generated report
fragments"). Every fragment is computed before the first is written, so an unknown quote
leaves the last good fragments in place.
"""

from __future__ import annotations

from pathlib import Path

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
from pipeline.stats import selection
from pipeline.stats.inputs import Processed, load_processed
from pipeline.stats.params import StatsParams
from pipeline.stats.run import Results


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


def write_fragments(
    processed_dir: Path,
    generated_dir: Path,
    results: Results,
    codebook: Codebook | None = None,
    programme: dict | None = None,
    quotes_file: Path | None = None,
) -> None:
    """Writes every fragment of the edition ``results`` holds into ``generated_dir``.

    ``programme`` defaults to the ``design`` of ``data/reference/programme.yaml``;
    ``quotes_file`` (the notebook passes ``report/sitater.yml``) names the quotes to resolve,
    none when it is None or absent.
    """
    codebook = codebook or load_codebook()
    programme = programme if programme is not None else load_programme().design
    data = load_processed(Path(processed_dir))
    files = generated_files(results, data.validation, codebook, programme)
    synthetic = bool(results.summary.get("synthetic"))
    files |= edition_files(
        Path(processed_dir), data, results.params, codebook, synthetic, quotes_file
    )
    for name, text in sorted(files.items()):
        write_text(Path(generated_dir) / name, text)
