"""Every rule of the raw data contract: a broken file fails with file, line and column named."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from pipeline.data.clean import clean
from pipeline.data.codebook import Codebook
from pipeline.data.problems import Problem
from pipeline.data.validate import validate_raw
from pipeline.errors import ValidationError

if TYPE_CHECKING:
    from conftest import RawTree, Snapshot

G0, G1 = "kull-00/groups.csv", "kull-01/groups.csv"
M0, M1 = "kull-00/members.csv", "kull-01/members.csv"
E0, V0, D0 = "kull-00/effect.csv", "kull-00/evaluation.csv", "kull-00/development_areas.csv"


def _encoded(encoding: str) -> Callable[[RawTree], None]:
    """Saves kull-00/groups.csv in another encoding, as Excel on Windows would."""

    def mutate(tree: RawTree) -> None:
        text = (tree.root / G0).read_text(encoding="utf-8")
        tree.write_bytes(G0, text.encode(encoding))

    return mutate


def _folder(name: str) -> Callable[[RawTree], None]:
    return lambda tree: tree.write_bytes(f"{name}/groups.csv", (tree.root / G1).read_bytes())


def _append(rel: str, line: str) -> Callable[[RawTree], None]:
    """Appends a raw line; a lone surrogate stands for one byte that is not UTF-8."""
    data = line.encode("utf-8", errors="surrogateescape")
    return lambda tree: tree.write_bytes(rel, (tree.root / rel).read_bytes() + data)


def _drop_rows(rel: str, group_id: str) -> Callable[[RawTree], None]:
    def edit(header: list[str], rows: list[list[str]]) -> None:
        rows[:] = [row for row in rows if row[header.index("group_id")] != group_id]

    return lambda tree: tree.rewrite(rel, edit)


def _replace(rel: str, new: str, data: bytes) -> Callable[[RawTree], None]:
    """Swaps a CSV for a file of another name or format."""

    def mutate(tree: RawTree) -> None:
        (tree.root / rel).unlink()
        tree.write_bytes(new, data)

    return mutate


def _cell(rel: str, line: int, column: str, value: str) -> Callable[[RawTree], None]:
    return lambda tree: tree.set_cell(rel, line, column, value)


def _extra_answers(rel: str, line: int, ids: list[str]) -> Callable[[RawTree], None]:
    """Appends copies of one answer row under new respondent ids: answers beyond the members."""

    def edit(header: list[str], rows: list[list[str]]) -> None:
        for respondent in ids:
            row = list(rows[line - 2])
            row[header.index("respondent_id")] = respondent
            rows.append(row)

    return lambda tree: tree.rewrite(rel, edit)


def _future_group(tree: RawTree) -> None:
    """G001 starts in 2999, yet kull-00/effect.csv holds its wave 2 answers."""
    tree.set_cell(G0, 2, "start_date", "2999-01-10")
    tree.set_cell(G0, 2, "end_date", "2999-06-10")


def _workbook(sheets: dict[str, list[list[str]]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _groups_workbook_without_the_table(tree: RawTree) -> None:
    (tree.root / G1).unlink()
    data = _workbook({"Info": [["Eksportert", "2019-06-30"]], "Ark2": [["a", "b"], ["1", "2"]]})
    tree.write_bytes("kull-01/groups.xlsx", data)


RULES = [
    # Structure of files and folders.
    ("missing_column", lambda t: t.drop_column(G0, "organisation"), G0, 1, "organisation",
     "missing required column"),
    ("missing_factor_column", lambda t: t.drop_column(E0, "klart_formal"), E0, 1, "klart_formal",
     "missing required column"),
    ("unknown_factor_column", lambda t: t.rename_column(E0, "klart_formal", "klar_formal"), E0, 1,
     "klar_formal", "not an Effect factor key in the codebook"),
    ("unknown_item_column", lambda t: t.add_column(V0, "ekstra", ""), V0, 1, "ekstra",
     "not an evaluation item key in the codebook"),
    ("unknown_groups_column", lambda t: t.add_column(G0, "region", "Øst"), G0, 1, "region",
     "unknown column"),
    ("doubled_column_name", lambda t: t.rename_column(M0, "age", "GENDER"), M0, 1, "gender",
     "column name appears twice"),
    ("unnamed_column_with_values", lambda t: t.add_column(M0, "", "x"), M0, 2, "column 5",
     "values but no name"),
    ("empty_file", lambda t: t.write_bytes(E0, b""), E0, 0, "-", "empty file (0 bytes)"),
    ("blank_lines_only", lambda t: t.write_bytes(D0, b"\n\n"), D0, 0, "-", "empty file"),
    ("header_only_groups", lambda t: t.header_only(G1), G1, 1, "-", "no data rows"),
    ("header_only_members", lambda t: t.header_only(M1), M1, 1, "-", "no data rows"),
    ("cp1252_text", _encoded("cp1252"), G0, 2, "organisation", "not UTF-8"),
    ("utf16_text", _encoded("utf-16"), G0, 1, "-", "looks like UTF-16"),
    ("not_utf8_first_field", _append(M0, "\udce9,G001,mann,40\n"), M0, 8, "member_id",
     "byte 0xE9 at character 1"),
    ("nul_byte", _append(M0, "0\x0008,G001,mann,40\n"), M0, 8, "-", "contains a NUL byte"),
    ("ragged_row", _append(M0, "008,G001,mann,40,x\n"), M0, 8, "-",
     "row has 5 fields but the header has 4"),
    ("malformed_quotes", _append(M0, '"008,G001,mann,40\n'), M0, 8, "-", "malformed CSV"),
    ("not_an_xlsx", _replace(V0, "kull-00/evaluation.xlsx", b"PK\x03\x04 not a zip"),
     "kull-00/evaluation.xlsx", 0, "-", "cannot read as an Excel"),
    ("missing_required_file", lambda t: (t.root / M1).unlink(), M1, 0, "-", "missing file"),
    ("unexpected_file", lambda t: t.write_bytes("kull-00/effekt.csv", b"a,b\n"),
     "kull-00/effekt.csv", 0, "-", "unexpected file"),
    ("same_table_twice", lambda t: t.write_bytes("kull-00/effect.xlsx", b""),
     "kull-00/effect.xlsx", 0, "-", "two files hold the table 'effect'"),
    ("misnamed_cohort_one_digit", _folder("kull-1"), "kull-1", 0, "-", "not a cohort folder"),
    ("misnamed_cohort_underscore", _folder("kull_03"), "kull_03", 0, "-", "not a cohort folder"),
    # Values in one row.
    ("required_value_missing", _cell(E0, 2, "group_id", ""), E0, 2, "group_id", "value missing"),
    ("score_above_range", _cell(E0, 3, "klart_formal", "8"), E0, 3, "klart_formal",
     "score must be a number from 1 to 7"),
    ("score_below_range", _cell(E0, 3, "dialog", "0,5"), E0, 3, "dialog",
     "score must be a number from 1 to 7"),
    ("score_not_a_number", _cell(E0, 4, "lagand", "fem"), E0, 4, "lagand",
     "score must be a number from 1 to 7"),
    ("unknown_answer_label", _cell(V0, 2, "passe_tempo", "Helt enig!"), V0, 2, "passe_tempo",
     "answer must be one of"),
    ("wave_out_of_range", _cell(E0, 2, "wave", "4"), E0, 2, "wave", "wave must be 1, 2 or 3"),
    ("wave_not_a_number", _cell(E0, 2, "wave", "første"), E0, 2, "wave", "wave must be 1, 2 or 3"),
    ("kull_not_a_number", _cell(G0, 2, "kull", "null"), G0, 2, "kull", "kull must be a whole"),
    ("bad_org_type", _cell(G0, 3, "org_type", "etat"), G0, 3, "org_type",
     "org_type must be one of"),
    ("bad_start_date", _cell(G0, 2, "start_date", "10.01.2015"), G0, 2, "start_date",
     "start_date must be a date written YYYY-MM-DD"),
    ("impossible_end_date", _cell(G0, 2, "end_date", "2016-02-30"), G0, 2, "end_date",
     "end_date must be a date"),
    ("end_before_start", _cell(G0, 2, "end_date", "2014-12-31"), G0, 2, "end_date",
     "end_date is before start_date"),
    ("bad_gender", _cell(M0, 2, "gender", "annet"), M0, 2, "gender", "gender must be one of"),
    ("age_not_a_number", _cell(M0, 3, "age", "førti"), M0, 3, "age",
     "age must be a number from 18 to 80"),
    ("age_too_low", _cell(M0, 3, "age", "17"), M0, 3, "age", "age must be a number from 18 to 80"),
    ("age_too_high", _cell(M0, 3, "age", "81"), M0, 3, "age", "age must be a number from 18 to 80"),
    ("unknown_development_factor", _cell(D0, 2, "factor", "strategi"), D0, 2, "factor",
     "factor must be an Effect factor key in the codebook"),
    # Duplicates.
    ("duplicate_respondent", lambda t: t.copy_row(E0, 4), E0, 14, "respondent_id",
     "respondent_id appears twice for the same group_id and wave (first on line 4)"),
    ("duplicate_evaluation_respondent", lambda t: t.copy_row(V0, 3), V0, 6, "respondent_id",
     "respondent_id appears twice for the same group_id"),
    ("duplicate_member", lambda t: t.copy_row(M0, 2), M0, 8, "member_id",
     "member_id appears twice for the same group_id"),
    ("duplicate_development_area", lambda t: t.copy_row(D0, 2), D0, 8, "factor",
     "factor appears twice for the same group_id"),
    ("duplicate_group_in_file", _cell(G0, 3, "group_id", "G001"), G0, 3, "group_id",
     "group_id appears twice in this file"),
    # Across files.
    ("duplicate_group_across_cohorts", _cell(G1, 2, "group_id", "G001"), G1, 2, "group_id",
     "unique across cohorts"),
    ("kull_differs_from_folder", _cell(G1, 2, "kull", "2"), G1, 2, "kull",
     "kull 2 differs from the folder kull-01"),
    ("unknown_group_in_members", _cell(M0, 3, "group_id", "G999"), M0, 3, "group_id",
     "not in any groups file"),
    ("unknown_group_in_effect", _cell(E0, 5, "group_id", "G999"), E0, 5, "group_id",
     "not in any groups file"),
    ("unknown_group_in_evaluation", _cell(V0, 2, "group_id", "g001"), V0, 2, "group_id",
     "not in any groups file"),
    ("unknown_group_in_development_areas", _cell(D0, 4, "group_id", "G999"), D0, 4, "group_id",
     "not in any groups file"),
    ("group_of_another_cohort", _cell(M1, 2, "group_id", "G001"), M1, 2, "group_id",
     "belongs to"),
    ("group_without_members", _drop_rows(M0, "G002"), G0, 3, "group_id", "group has no rows"),
    # Plausibility across files (DESIGN.md section 2).
    ("more_effect_respondents_than_members", _extra_answers(E0, 2, ["r4"]), E0, 14,
     "respondent_id", "group G001 has 3 members in"),
    ("more_evaluation_answers_than_members", _extra_answers(V0, 2, ["e3", "e4"]), V0, 7,
     "respondent_id", "this is answer 4; a group's answers are at most its members"),
    ("later_wave_before_the_group_starts", _future_group, E0, 5, "wave",
     "wave 2 answer for group G001, which starts on 2999-01-10"),
    # Real exports.
    ("workbook_without_the_tables_sheet", _groups_workbook_without_the_table,
     "kull-01/groups.xlsx", 0, "-", "none of the sheets ('Info', 'Ark2') has a header with"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "file", "line", "column", "rule"),
    [pytest.param(*case[1:], id=case[0]) for case in RULES],
)
def test_rule_fails_and_leaves_files_alone(
    raw_tree: RawTree,
    processed_dir: Path,
    snapshot: Snapshot,
    mutate: Callable[[RawTree], object],
    file: str,
    line: int,
    column: str,
    rule: str,
) -> None:
    mutate(raw_tree)
    raw_before, processed_before = snapshot(raw_tree.root), snapshot(processed_dir)

    with pytest.raises(ValidationError) as caught:
        clean(raw_tree.root, processed_dir)

    problems = caught.value.problems
    listing = "\n".join(map(str, problems))
    hits = [
        p
        for p in problems
        if p.file.endswith(f"/{file}") and (p.line, p.column) == (line, column) and rule in p.rule
    ]
    assert hits, listing
    where = f"{file}: " if line == 0 else f"{file}:{line}:{column}: "
    assert where in str(caught.value)
    assert snapshot(raw_tree.root) == raw_before
    assert snapshot(processed_dir) == processed_before
    assert sorted(p.name for p in processed_dir.parent.iterdir()) == ["processed", "raw"]


def test_missing_key_column_is_one_problem_not_a_flood(raw_tree: RawTree) -> None:
    raw_tree.drop_column(E0, "wave")

    with pytest.raises(ValidationError) as caught:
        validate_raw(raw_tree.root)

    assert [str(p).split("/raw/")[1] for p in caught.value.problems] == [
        "kull-00/effect.csv:1:wave: missing required column"
    ]


def test_valid_tree_passes_with_a_summary(raw_tree: RawTree) -> None:
    raw = validate_raw(raw_tree.root)

    assert raw.summary() == (
        "OK: 2 cohorts, 3 groups, 9 members, 15 Effect responses, 4 evaluation answers, "
        "9 development areas (synthetic data)"
    )


def test_summary_names_real_data_plainly(raw_tree: RawTree) -> None:
    (raw_tree.root / "SYNTHETIC").unlink()

    raw = validate_raw(raw_tree.root)

    assert not raw.synthetic
    assert not raw.summary().endswith("(synthetic data)")


def test_problem_reads_like_a_compiler_error(raw_tree: RawTree) -> None:
    raw_tree.set_cell(E0, 3, "klart_formal", "8")

    with pytest.raises(ValidationError) as caught:
        validate_raw(raw_tree.root)

    (problem,) = caught.value.problems
    assert str(problem).endswith(
        "raw/kull-00/effect.csv:3:klart_formal: value '8' — score must be a number from 1 to 7"
    )


def test_not_utf8_names_line_character_value_and_likely_encoding(raw_tree: RawTree) -> None:
    _encoded("cp1252")(raw_tree)

    with pytest.raises(ValidationError) as caught:
        validate_raw(raw_tree.root)

    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, "organisation")
    assert problem.value == "Organisasjon G001 for økonomistyring"
    assert "byte 0xF8 at character 31" in problem.rule
    assert "cp1252/latin-1" in problem.rule


def test_all_problems_are_reported_at_once(raw_tree: RawTree) -> None:
    raw_tree.set_cell(M1, 2, "age", "abc")
    raw_tree.set_cell(E0, 3, "wave", "9")
    raw_tree.write_bytes("kull-00/development_areas.csv", b"")

    with pytest.raises(ValidationError) as caught:
        validate_raw(raw_tree.root)

    named = {Path(p.file).relative_to(raw_tree.root).as_posix() for p in caught.value.problems}
    assert named == {M1, E0, D0}


def test_problems_are_sorted_by_file_line_and_column(raw_tree: RawTree) -> None:
    raw_tree.set_cell(M0, 4, "age", "x")
    raw_tree.set_cell(M0, 2, "gender", "x")
    raw_tree.set_cell(M0, 2, "age", "x")
    raw_tree.set_cell(G0, 3, "org_type", "x")

    with pytest.raises(ValidationError) as caught:
        validate_raw(raw_tree.root)

    problems = caught.value.problems
    assert [(Path(p.file).name, p.line, p.column) for p in problems] == [
        ("groups.csv", 3, "org_type"),
        ("members.csv", 2, "age"),
        ("members.csv", 2, "gender"),
        ("members.csv", 4, "age"),
    ]
    assert problems == sorted(reversed(problems))


def test_problem_without_a_value_omits_it() -> None:
    problem = Problem("data/raw/kull-03/effect.csv", 1, "dialog", None, "missing required column")

    assert str(problem) == "data/raw/kull-03/effect.csv:1:dialog: missing required column"


def test_running_cohort_may_lack_optional_files(raw_tree: RawTree, codebook: Codebook) -> None:
    for rel in (E0, V0, D0, "kull-01/effect.csv", "kull-01/development_areas.csv"):
        (raw_tree.root / rel).unlink()

    raw = validate_raw(raw_tree.root)

    assert raw.effect.empty
    assert list(raw.effect.columns) == ["respondent_id", "group_id", "kull", "wave",
                                        *codebook.factor_keys]  # fmt: skip
    assert raw.evaluation.empty and raw.development_areas.empty


def test_header_only_is_allowed_for_optional_tables(raw_tree: RawTree) -> None:
    for rel in (E0, V0, D0):
        raw_tree.header_only(rel)

    raw = validate_raw(raw_tree.root)

    assert len(raw.effect) == 3 and raw.evaluation.empty


def test_entries_that_are_not_cohorts_are_ignored(raw_tree: RawTree) -> None:
    raw_tree.write_bytes("notes/2019.txt", b"not data")
    raw_tree.write_bytes(".gitkeep", b"")
    raw_tree.write_bytes("kull-00/.DS_Store", b"\x00")

    raw = validate_raw(raw_tree.root)

    assert raw.cohorts == (0, 1)


@pytest.mark.parametrize("layout", ["missing", "empty"])
def test_raw_folder_without_cohorts_is_a_problem(tmp_path: Path, layout: str) -> None:
    raw_dir = tmp_path / "raw"
    if layout == "empty":
        raw_dir.mkdir()

    with pytest.raises(ValidationError) as caught:
        validate_raw(raw_dir)

    (problem,) = caught.value.problems
    assert problem.file == str(raw_dir)


def test_tables_follow_the_processed_contract(raw_tree: RawTree, codebook: Codebook) -> None:
    raw = validate_raw(raw_tree.root)

    assert list(raw.groups.columns) == [
        "group_id", "kull", "organisation", "org_type", "start_date", "end_date",
    ]  # fmt: skip
    assert list(raw.members.columns) == ["member_id", "group_id", "kull", "gender", "age"]
    assert list(raw.evaluation.columns) == ["respondent_id", "group_id", "kull",
                                            *codebook.item_keys]  # fmt: skip
    assert list(raw.development_areas.columns) == ["group_id", "kull", "factor"]
    assert raw.groups["group_id"].dtype == "string"
    assert raw.groups["kull"].dtype == "int64"
    assert raw.groups["start_date"].dtype == "datetime64[ns]"
    assert raw.groups.set_index("group_id")["end_date"].isna().to_dict() == {
        "G001": False, "G002": False, "G101": True,
    }  # fmt: skip
    assert raw.members["age"].dtype == "float64"
    assert raw.effect["wave"].dtype == "int64"
    assert (raw.effect[codebook.factor_keys].dtypes == "float64").all()
    assert raw.effect[codebook.factor_keys].isna().any().any()
    assert raw.members["member_id"].head(3).tolist() == ["001", "002", "003"]


def test_rows_are_sorted_by_key_whatever_the_file_order(raw_tree: RawTree) -> None:
    raw_tree.rewrite(E0, lambda header, rows: rows.reverse())

    effect = validate_raw(raw_tree.root).effect

    key = ["group_id", "wave", "respondent_id"]
    assert effect[key].equals(effect[key].sort_values(key).reset_index(drop=True))
    assert effect.index.equals(pd.RangeIndex(len(effect)))


def test_labels_take_the_codebook_spelling(raw_tree: RawTree, codebook: Codebook) -> None:
    raw_tree.set_cell(G0, 2, "org_type", " Departement ")
    raw_tree.set_cell(M0, 2, "gender", "KVINNE")
    raw_tree.set_cell(D0, 2, "factor", "Klart_Formal")

    raw = validate_raw(raw_tree.root)

    answers = set(raw.evaluation[codebook.item_keys].stack().dropna())
    assert answers == set(codebook.answer_labels)
    assert raw.groups["org_type"].iloc[0] == "departement"
    assert raw.members["gender"].iloc[0] == "kvinne"
    assert "klart_formal" in set(raw.development_areas["factor"])


def test_export_metadata_is_ignored_and_free_text_kept_apart(
    raw_tree: RawTree, processed_dir: Path
) -> None:
    raw_tree.add_column(V0, "Starttid", "2019-05-02 10:14")
    raw_tree.add_column(V0, "Sluttid", "2019-05-02 10:21")
    raw_tree.add_column(V0, "kommentar", "")
    raw_tree.set_cell(V0, 3, "kommentar", "Nyttige samlinger")

    raw = clean(raw_tree.root, processed_dir)

    assert "starttid" not in raw.evaluation and "kommentar" not in raw.evaluation
    assert raw.free_text[["group_id", "respondent_id", "column", "text"]].values.tolist() == [
        ["G001", "e2", "kommentar", "Nyttige samlinger"]
    ]
    report = json.loads((processed_dir / "validation.json").read_text(encoding="utf-8"))
    entry = next(f for f in report["files"] if f["path"] == V0)
    assert entry["ignored_columns"] == ["starttid", "sluttid"]
    assert entry["free_text_columns"] == ["kommentar"]
    assert any("ignored export metadata column(s) starttid, sluttid" in n for n in raw.notes)
    assert (processed_dir / "free_text.parquet").is_file()


def test_spreadsheet_leftovers_are_ignored_with_a_note(raw_tree: RawTree) -> None:
    raw_tree.write_bytes("kull-00/~$groups.xlsx", b"owner file")
    raw_tree.write_bytes("kull-00/.~lock.members.csv#", b"lock")

    raw = validate_raw(raw_tree.root)

    ignored = [n for n in raw.notes if "left by a spreadsheet program" in n]
    assert [Path(n.split(":")[0]).name for n in ignored] == [".~lock.members.csv#", "~$groups.xlsx"]


def test_workbook_table_is_read_from_the_sheet_that_fits(raw_tree: RawTree) -> None:
    header, rows = raw_tree.read_csv(G1)
    (raw_tree.root / G1).unlink()
    sheets = {"Om eksporten": [["Questback", "2019"]], "Grupper": [header, *rows]}
    raw_tree.write_bytes("kull-01/groups.xlsx", _workbook(sheets))

    raw = validate_raw(raw_tree.root)

    assert "G101" in set(raw.groups["group_id"])
    assert any(n.endswith("kull-01/groups.xlsx: read the sheet 'Grupper', whose header fits")
               for n in raw.notes)  # fmt: skip
    record = next(f for f in raw.files if f.path == "kull-01/groups.xlsx")
    assert record.sheet == "Grupper"


def test_missing_raw_folder_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_raw(tmp_path / "nowhere")

    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{tmp_path / 'nowhere'}: raw data folder not found: looked for {tmp_path / 'nowhere'}"
    )


def test_a_file_with_wrong_columns_comes_before_what_it_causes(raw_tree: RawTree) -> None:
    raw_tree.set_cell(M0, 4, "age", "x")
    raw_tree.rename_column(G0, "group_id", "gruppe")

    with pytest.raises(ValidationError) as caught:
        validate_raw(raw_tree.root)

    shown = [str(p).split("/raw/")[1] for p in caught.value.problems]
    assert shown[:2] == [
        "kull-00/groups.csv:1:group_id: missing required column",
        "kull-00/groups.csv:1:gruppe: unknown column; groups has group_id, kull, organisation, "
        "org_type, start_date, end_date",
    ]
    assert shown[2:] == [
        "kull-00/members.csv:4:age: value 'x' — age must be a number from 18 to 80"
    ]


NEW_RULES = [case for case in RULES if case[0] in {
    "more_effect_respondents_than_members", "more_evaluation_answers_than_members",
    "later_wave_before_the_group_starts", "workbook_without_the_tables_sheet",
}]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "file", "line", "column", "rule"),
    [pytest.param(*case[1:], id=case[0]) for case in NEW_RULES],
)
def test_validate_command_exits_1_naming_file_line_column_and_rule(
    raw_tree: RawTree,
    snapshot: Snapshot,
    capsys: pytest.CaptureFixture[str],
    mutate: Callable[[RawTree], object],
    file: str,
    line: int,
    column: str,
    rule: str,
) -> None:
    from pipeline.cli import main

    mutate(raw_tree)
    before = snapshot(raw_tree.root)

    code = main(["validate", str(raw_tree.root)])

    err = capsys.readouterr().err
    where = f"{file}: " if line == 0 else f"{file}:{line}:{column}: "
    assert code == 1
    assert any(where in row and rule in row for row in err.splitlines()), err
    assert snapshot(raw_tree.root) == before
