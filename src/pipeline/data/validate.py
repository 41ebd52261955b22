"""Validates a raw data tree and hands back its tables in the processed formats.

Every problem is collected before failing, so one run tells the user everything to fix.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors

from pipeline.data import plausibility
from pipeline.data.codebook import Codebook, ExportRules, load_codebook
from pipeline.data.layout import Cohort, display_base, find_cohorts, kull_list
from pipeline.data.normalise import normalise
from pipeline.data.problems import COLUMN_CAUSE, CROSS_FILE_CAUSE, FILE_LEVEL, NO_COLUMN, Problem
from pipeline.data.readers import Excluded, TextTable, read_table
from pipeline.data.schemas import TABLE_NAMES, TableSpec, table_specs
from pipeline.data.values import whole_number
from pipeline.errors import ValidationError

MISSING_VALUE = "value missing; this column needs one in every row"
FAILURE_FIELDS = ("check", "column", "failure_case", "index")


@dataclass(frozen=True)
class FileRecord:
    """One input file as validation.json lists it (``path`` relative to the raw folder)."""

    path: str
    sha256: str
    rows: int
    excluded: tuple[Excluded, ...]
    sheet: str | None = None
    ignored_columns: tuple[str, ...] = ()
    free_text_columns: tuple[str, ...] = ()


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
    free_text: pd.DataFrame
    notes: tuple[str, ...] = ()

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
    ignored_columns: tuple[str, ...] = ()
    free: pd.DataFrame | None = None


def validate_raw(
    raw_dir: Path, codebook: Codebook | None = None, today: dt.date | None = None
) -> RawData:
    """Reads and checks every file under ``raw_dir``; raises ValidationError with all problems.

    ``today`` is the date a group must have started by to have end-of-programme answers.
    """
    raw_dir = Path(raw_dir)
    codebook = codebook or load_codebook()
    specs = table_specs(codebook)
    cohorts, problems = find_cohorts(raw_dir, specs)
    base = display_base(raw_dir)
    sources: list[_Source] = []
    for cohort in cohorts:
        for spec in specs.values():
            source, found = _read_source(cohort, spec, base, codebook.export)
            problems += found
            if source is not None:
                sources.append(source)
    for spec in specs.values():
        problems += _table_problems(spec, [s for s in sources if s.table == spec.name])
    problems += _cross_file_problems(sources)
    problems += _plausibility_problems(sources, today or dt.date.today())
    if problems:
        raise ValidationError(sorted(set(problems)))
    return _raw_data(raw_dir, cohorts, sources, specs, codebook)


def _read_source(
    cohort: Cohort, spec: TableSpec, base: Path, export: ExportRules
) -> tuple[_Source | None, list[Problem]]:
    """Reads one table of a cohort, sets aside export metadata and free text, checks the rest."""
    path = cohort.files.get(spec.name)
    if path is None:
        if not spec.required:
            return None, []
        shown = str(base / cohort.folder.name / f"{spec.name}.csv")
        rule = f"missing file: every cohort folder needs {spec.name}.csv (or .xlsx)"
        return None, [Problem(shown, FILE_LEVEL, NO_COLUMN, None, rule)]
    shown = str(base / cohort.folder.name / path.name)
    required = [name for name, column in spec.schema.columns.items() if column.required]
    text, problems = read_table(path, shown, required, export.sheets.get(spec.name))
    if text is None:
        return None, problems
    columns = list(text.frame.columns)
    ignored = tuple(c for c in columns if c in export.ignored_columns)
    free_names = [c for c in columns if c in export.free_text.get(spec.name, ())]
    free = text.frame[[c for c in ("respondent_id", "group_id") if c in columns] + free_names]
    text = replace(text, frame=text.frame.drop(columns=[*ignored, *free_names]))
    source = _Source(
        cohort.number, spec.name, path, shown, text, ignored, free if free_names else None
    )
    return source, []


def _table_problems(spec: TableSpec, sources: list[_Source]) -> list[Problem]:
    """Schema problems of every file of one table, plus empty groups or members files.

    Files with the same columns are checked in one pandera pass over their rows together
    (pandera's cost per call and per column is paid once per table, not once per cohort
    file); each failure is traced back to its file and line. Duplicate keys are found per
    file, as a key need only be unique within its file.
    """
    problems: list[Problem] = []
    layouts: dict[tuple[str, ...], list[_Source]] = {}
    for source in sources:
        if spec.required and source.text.frame.empty:
            rule = f"no data rows: every cohort's {spec.name} file needs at least one row"
            problems.append(Problem(source.shown, source.text.header_line, NO_COLUMN, None, rule))
        layouts.setdefault(tuple(source.text.frame.columns), []).append(source)
        problems += _duplicates(spec, source)
    schema = copy.deepcopy(spec.schema)
    schema.unique = None
    for group in layouts.values():
        frames = [source.text.frame for source in group]
        owner = np.repeat(np.arange(len(group)), [len(frame) for frame in frames])
        lines = np.concatenate([frame.index.to_numpy(dtype=np.int64) for frame in frames])
        try:
            schema.validate(pd.concat(frames, ignore_index=True), lazy=True)
        except pandera.errors.SchemaErrors as errors:
            for case in errors.failure_cases.to_dict("records"):
                index = case["index"]
                if index is None or pd.isna(index):  # about a column: true of every file here
                    located = [(s, s.text.header_line) for s in group]
                else:
                    located = [(group[owner[int(index)]], int(lines[int(index)]))]
                for source, line in located:
                    problem = _case_problem(spec, source.shown, line, case)
                    if problem is not None:
                        problems.append(problem)
    return problems


def _case_problem(spec: TableSpec, shown: str, line: int, case: dict) -> Problem | None:
    """The problem one pandera failure case stands for (None: reported in another way)."""
    check, column, value = (case[k] for k in FAILURE_FIELDS[:3])
    if check == "column_in_dataframe":
        return Problem(shown, line, value, None, "missing required column", COLUMN_CAUSE)
    if check == "column_in_schema":
        return Problem(shown, line, value, None, spec.unknown_column, COLUMN_CAUSE)
    if check in spec.blame:
        if column != spec.blame[check]:
            return None
        return Problem(shown, line, column, _cell(value), check)
    if check == "not_nullable":
        return Problem(shown, line, column, None, MISSING_VALUE)
    return Problem(shown, line, column or NO_COLUMN, _cell(value), check)


def _duplicates(spec: TableSpec, source: _Source) -> list[Problem]:
    """Rows repeating an earlier row's key in the same file.

    Only with every key column present and filled: with one missing the rows are not
    duplicates of the key, and a missing key value is reported as missing.
    """
    key, frame = list(spec.key), source.text.frame
    if not set(key) <= set(frame.columns):
        return []
    repeated = frame.duplicated(subset=key, keep="first") & frame[key].notna().all(axis=1)
    return [_duplicate(spec, frame, line, source.shown) for line in frame.index[repeated]]


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
    # A groups file without rows or without its group_id column has its own problem; the
    # rows of the other files would only repeat it as "not in any groups file".
    readable = {s.cohort for s in groups if not s.text.frame.empty and "group_id" in s.text.frame}
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


def _plausibility_problems(sources: list[_Source], today: dt.date) -> list[Problem]:
    """Answers at most the group's members; wave 2 and 3 only for groups that have started."""
    by_cohort: dict[int, dict[str, _Source]] = {}
    for source in sources:
        by_cohort.setdefault(source.cohort, {})[source.table] = source
    problems: list[Problem] = []
    for tables in by_cohort.values():
        members, groups = tables.get("members"), tables.get("groups")
        counts = plausibility.member_counts(members.text.frame) if members else {}
        for name, by_wave in (("effect", True), ("evaluation", False)):
            answers = tables.get(name)
            if answers is not None and members is not None:
                problems += plausibility.too_many_answers(
                    answers.text.frame, counts, answers.shown, members.shown, by_wave
                )
        effect = tables.get("effect")
        if effect is not None and groups is not None:
            starts = plausibility.start_dates(groups.text.frame)
            problems += plausibility.later_waves_before_start(
                effect.text.frame, starts, effect.shown, today
            )
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
        problems.append(Problem(source.shown, line, "group_id", group_id, rule, CROSS_FILE_CAUSE))
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
                s.text.sheet,
                s.ignored_columns,
                _free_columns(s),
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
        free_text=_free_text(sources),
        notes=_notes(raw_dir, cohorts, sources),
    )


def _free_columns(source: _Source) -> tuple[str, ...]:
    if source.free is None:
        return ()
    return tuple(c for c in source.free.columns if c not in ("group_id", "respondent_id"))


FREE_TEXT_COLUMNS = ["table", "kull", "group_id", "respondent_id", "column", "text"]


def _free_text(sources: list[_Source]) -> pd.DataFrame:
    """The free-text answers in long form: confidential, kept out of every analysis."""
    parts = []
    for s in sources:
        if s.free is None:
            continue
        ids = [c for c in ("group_id", "respondent_id") if c in s.free.columns]
        long = s.free.melt(id_vars=ids, var_name="column", value_name="text").dropna(
            subset=["text"]
        )
        parts.append(long.assign(table=s.table, kull=s.cohort))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in FREE_TEXT_COLUMNS}).astype(
            {"kull": "int64"}
        )
    frame = pd.concat(parts, ignore_index=True).reindex(columns=FREE_TEXT_COLUMNS)
    frame = frame.astype({c: "string" for c in FREE_TEXT_COLUMNS if c != "kull"})
    return frame.sort_values(FREE_TEXT_COLUMNS[:5]).reset_index(drop=True)


def _notes(raw_dir: Path, cohorts: list[Cohort], sources: list[_Source]) -> tuple[str, ...]:
    """What validation did besides checking: sheets chosen, columns and files set aside."""
    notes = [f"{shown}: ignored (left by a spreadsheet program)" for c in cohorts
             for shown in c.ignored]  # fmt: skip
    for s in sources:
        if s.text.sheet:
            notes.append(f"{s.shown}: read the sheet '{s.text.sheet}', whose header fits")
        if s.ignored_columns:
            listed = ", ".join(s.ignored_columns)
            notes.append(f"{s.shown}: ignored export metadata column(s) {listed}")
        if s.free is not None:
            listed = ", ".join(_free_columns(s))
            notes.append(f"{s.shown}: kept free text ({listed}) as confidential text")
    return tuple(sorted(notes))


def _empty_text(spec: TableSpec) -> pd.DataFrame:
    """A table no cohort has yet (e.g. no evaluation before the first cohort ends)."""
    columns = {name: pd.Series(dtype="str") for name in spec.schema.columns}
    return pd.DataFrame(columns).assign(kull=pd.Series(dtype="int64"))
