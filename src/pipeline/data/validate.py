"""Validates a raw data tree and hands back its tables in the processed formats.

Every problem is collected before failing, so one run tells the user everything to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.errors

from pipeline.data.codebook import Codebook, load_codebook
from pipeline.data.layout import Cohort, display_base, find_cohorts, kull_list
from pipeline.data.normalise import normalise
from pipeline.data.problems import FILE_LEVEL, NO_COLUMN, Problem
from pipeline.data.readers import Excluded, TextTable, read_table
from pipeline.data.schemas import TABLE_NAMES, TableSpec, table_specs
from pipeline.data.values import whole_number
from pipeline.errors import ValidationError

MISSING_VALUE = "value missing; this column needs one in every row"
UNIQUENESS_CHECKS = ("multiple_fields_uniqueness", "field_uniqueness")
FAILURE_FIELDS = ("check", "column", "failure_case", "index")


@dataclass(frozen=True)
class FileRecord:
    """One input file as validation.json lists it (``path`` relative to the raw folder)."""

    path: str
    sha256: str
    rows: int
    excluded: tuple[Excluded, ...]


@dataclass(frozen=True, eq=False)
class RawData:
    """The validated raw data: the five tables in processed formats and what they came from."""

    raw_dir: Path
    synthetic_cohorts: tuple[int, ...]
    cohorts: tuple[int, ...]
    files: tuple[FileRecord, ...]
    groups: pd.DataFrame
    members: pd.DataFrame
    effect: pd.DataFrame
    evaluation: pd.DataFrame
    development_areas: pd.DataFrame

    @property
    def synthetic(self) -> bool:
        """Whether any cohort is synthetic: the report then carries the synthetic marking."""
        return bool(self.synthetic_cohorts)

    def data_kind(self) -> str:
        """Which cohorts are synthetic, in words: every place that describes the data says it."""
        real = [k for k in self.cohorts if k not in self.synthetic_cohorts]
        if not real:
            return "synthetic data"
        if not self.synthetic_cohorts:
            return "real data"
        synthetic = kull_list(self.synthetic_cohorts)
        return f"synthetic data: kull {synthetic}; real: kull {kull_list(real)}"

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLE_NAMES}

    def summary(self) -> str:
        """One line for the command line and the notebook."""
        counts = [
            (len(self.cohorts), "cohort"),
            (len(self.groups), "group"),
            (len(self.members), "member"),
            (len(self.effect), "Effect response"),
            (len(self.evaluation), "evaluation answer"),
            (len(self.development_areas), "development area"),
        ]
        listed = ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts)
        return f"OK: {listed} ({self.data_kind()})"


@dataclass(frozen=True, eq=False)
class _Source:
    """A file that could be read, with the cohort folder it came from."""

    cohort: int
    table: str
    path: Path
    shown: str
    text: TextTable


def validate_raw(raw_dir: Path, codebook: Codebook | None = None) -> RawData:
    """Reads and checks every file under ``raw_dir``; raises ValidationError with all problems."""
    raw_dir = Path(raw_dir)
    codebook = codebook or load_codebook()
    specs = table_specs(codebook)
    cohorts, problems = find_cohorts(raw_dir, specs)
    base = display_base(raw_dir)
    sources: list[_Source] = []
    for cohort in cohorts:
        for spec in specs.values():
            source, found = _read_source(cohort, spec, base)
            problems += found
            if source is not None:
                sources.append(source)
    problems += _cross_file_problems(sources)
    if problems:
        raise ValidationError(sorted(set(problems)))
    return _raw_data(raw_dir, cohorts, sources, specs, codebook)


def _read_source(
    cohort: Cohort, spec: TableSpec, base: Path
) -> tuple[_Source | None, list[Problem]]:
    """Reads one table of a cohort and checks it against its schema."""
    path = cohort.files.get(spec.name)
    if path is None:
        if not spec.required:
            return None, []
        shown = str(base / cohort.folder.name / f"{spec.name}.csv")
        rule = f"missing file: every cohort folder needs {spec.name}.csv (or .xlsx)"
        return None, [Problem(shown, FILE_LEVEL, NO_COLUMN, None, rule)]
    shown = str(base / cohort.folder.name / path.name)
    text, problems = read_table(path, shown)
    if text is None:
        return None, problems
    return _Source(cohort.number, spec.name, path, shown, text), _table_problems(spec, text, shown)


def _table_problems(spec: TableSpec, text: TextTable, shown: str) -> list[Problem]:
    """Schema problems, plus an empty groups or members file: a cohort cannot lack those."""
    problems: list[Problem] = []
    if spec.required and text.frame.empty:
        rule = f"no data rows: every cohort's {spec.name} file needs at least one row"
        problems.append(Problem(shown, text.header_line, NO_COLUMN, None, rule))
    try:
        spec.schema.validate(text.frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        problems += _schema_problems(spec, text, shown, errors.failure_cases)
    return problems


def _schema_problems(
    spec: TableSpec, text: TextTable, shown: str, cases: pd.DataFrame
) -> list[Problem]:
    """Turns pandera's failure cases into problems; the frame's index is the line number.

    Pandera checks uniqueness on the key columns present, so with one missing its
    duplicates are not duplicates of the key and are left out; so are rows missing a key
    value, which are reported as missing.
    """
    problems: list[Problem] = []
    duplicates: set[int] = set()
    for case in cases.to_dict("records"):
        check, column, value, index = (case[k] for k in FAILURE_FIELDS)
        line = text.header_line if index is None or pd.isna(index) else int(index)
        if check == "column_in_dataframe":
            problems.append(Problem(shown, line, value, None, "missing required column"))
        elif check == "column_in_schema":
            problems.append(Problem(shown, line, value, None, spec.unknown_column))
        elif check in UNIQUENESS_CHECKS:
            duplicates.add(line)
        elif check in spec.blame:
            if column == spec.blame[check]:
                problems.append(Problem(shown, line, column, _cell(value), check))
        elif check == "not_nullable":
            problems.append(Problem(shown, line, column, None, MISSING_VALUE))
        else:
            problems.append(Problem(shown, line, column or NO_COLUMN, _cell(value), check))
    key, frame = list(spec.key), text.frame
    if not set(key) <= set(frame.columns):
        return problems
    complete = [line for line in sorted(duplicates) if frame.loc[line, key].notna().all()]
    return problems + [_duplicate(spec, frame, line, shown) for line in complete]


def _cell(value: object) -> str | None:
    return None if pd.isna(value) else str(value)


def _duplicate(spec: TableSpec, frame: pd.DataFrame, line: int, shown: str) -> Problem:
    """Names the line that first used the key, so the user sees both rows."""
    key = list(spec.key)
    same = (frame[key] == frame.loc[line, key]).all(axis=1)
    rule = f"{spec.duplicate_rule} (first on line {frame.index[same][0]})"
    subject = spec.key[-1]
    return Problem(shown, line, subject, _cell(frame.at[line, subject]), rule)


def _cross_file_problems(sources: list[_Source]) -> list[Problem]:
    """Checks that need several files: cohort numbers, unique groups and group references.

    References are only checked against groups and members files that could be read and
    have rows; otherwise every row would repeat the one problem already reported for them.
    """
    groups = [s for s in sources if s.table == "groups"]
    owners: dict[str, tuple[_Source, int]] = {}
    problems: list[Problem] = []
    for source in groups:
        problems += _kull_problems(source)
        problems += _claim_group_ids(source, owners)
    readable = {s.cohort for s in groups if not s.text.frame.empty}
    for source in sources:
        if source.table != "groups" and source.cohort in readable:
            problems += _reference_problems(source, owners)
    members = {
        s.cohort: s
        for s in sources
        if s.table == "members" and "group_id" in s.text.frame and not s.text.frame.empty
    }
    for source in groups:
        if source.cohort in members:
            problems += _groups_without_members(source, members[source.cohort])
    return problems


def _ids(source: _Source, column: str) -> pd.Series:
    frame = source.text.frame
    return frame[column].dropna() if column in frame else pd.Series(dtype="str")


def _kull_problems(source: _Source) -> list[Problem]:
    """A group's ``kull`` must agree with its folder, or it would be counted in two cohorts."""
    problems = []
    for line, text in _ids(source, "kull").items():
        number = whole_number(text)
        if number is not None and number != source.cohort:
            rule = f"kull {number} differs from the folder kull-{source.cohort:02d}"
            problems.append(Problem(source.shown, line, "kull", text, rule))
    return problems


def _claim_group_ids(source: _Source, owners: dict[str, tuple[_Source, int]]) -> list[Problem]:
    """Registers each group id; one already claimed by another file is a problem.

    A repeat inside one file is the schema's duplicate rule, so only other files count here.
    """
    problems = []
    for line, group_id in _ids(source, "group_id").items():
        owner, owner_line = owners.setdefault(group_id, (source, line))
        if owner is not source:
            rule = (
                f"group_id is already used in {owner.shown}:{owner_line}; "
                "group ids must be unique across cohorts"
            )
            problems.append(Problem(source.shown, line, "group_id", group_id, rule))
    return problems


def _reference_problems(source: _Source, owners: dict[str, tuple[_Source, int]]) -> list[Problem]:
    """Every row must belong to a group of its own cohort folder."""
    problems = []
    for line, group_id in _ids(source, "group_id").items():
        owner = owners.get(group_id)
        if owner is None:
            rule = "group_id is not in any groups file"
        elif owner[0].cohort != source.cohort:
            rule = f"group_id belongs to {owner[0].shown}, not to this cohort folder"
        else:
            continue
        problems.append(Problem(source.shown, line, "group_id", group_id, rule))
    return problems


def _groups_without_members(groups: _Source, members: _Source) -> list[Problem]:
    """A group without members would enter the facts with group size 0."""
    listed = set(_ids(members, "group_id"))
    rule = f"group has no rows in {members.shown}"
    return [
        Problem(groups.shown, line, "group_id", group_id, rule)
        for line, group_id in _ids(groups, "group_id").items()
        if group_id not in listed
    ]


def _raw_data(
    raw_dir: Path,
    cohorts: list[Cohort],
    sources: list[_Source],
    specs: dict[str, TableSpec],
    codebook: Codebook,
) -> RawData:
    tables = {}
    for name, spec in specs.items():
        parts = [s.text.frame.assign(kull=s.cohort) for s in sources if s.table == name]
        text = pd.concat(parts, ignore_index=True) if parts else _empty_text(spec)
        tables[name] = normalise(spec, text, codebook)
    files = sorted(
        (
            FileRecord(
                s.path.relative_to(raw_dir).as_posix(),
                s.text.sha256,
                len(s.text.frame),
                s.text.excluded,
            )
            for s in sources
        ),
        key=lambda record: record.path,
    )
    return RawData(
        raw_dir=raw_dir,
        synthetic_cohorts=tuple(c.number for c in cohorts if c.synthetic),
        cohorts=tuple(c.number for c in cohorts),
        files=tuple(files),
        **tables,
    )


def _empty_text(spec: TableSpec) -> pd.DataFrame:
    """A table no cohort has yet (e.g. no evaluation before the first cohort ends)."""
    columns = {name: pd.Series(dtype="str") for name in spec.schema.columns}
    return pd.DataFrame(columns).assign(kull=pd.Series(dtype="int64"))
