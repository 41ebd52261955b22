"""Real cohorts at rest: age encryption round trip, the key's absence, and what is refused."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pipeline.data import crypt
from pipeline.data.crypt import (
    encrypt_cohort,
    generate_key,
    load_recipients,
    readable_raw,
)
from pipeline.data.marker import MARKER, is_synthetic_cohort, write_marker
from pipeline.errors import PipelineError

# A real export as analysts get it: BOM, ';' separator, decimal comma, a free-text answer.
MEMBERS = "\ufeffmember_id;group_id;gender;age\r\nk17-g1-m01;k17-g1;kvinne;57\r\n".encode()
EVALUATION = "respondent_id;group_id;kommentar\nr1;k17-g1;Vi ble tryggere, ærlig talt\n".encode()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder without a default key file, and no key in the environment."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv(crypt.KEY_ENV, raising=False)
    monkeypatch.delenv(crypt.KEY_FILE_ENV, raising=False)
    return home


@pytest.fixture
def key(home: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A key pair: the private key in the home folder, the public one in a recipients file."""
    private = home / "keys" / "age-key.txt"
    public = generate_key(private)
    recipients = tmp_path / "age-recipients.txt"
    recipients.write_text(f"# the team\n{public}\n", encoding="utf-8")
    return private, recipients


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A synthetic kull-00 and a real kull-17, both plain."""
    raw = tmp_path / "data" / "raw"
    (raw / "kull-00").mkdir(parents=True)
    (raw / "kull-00" / "groups.csv").write_bytes(b"group_id,kull\nk00-g1,0\n")
    write_marker(raw / "kull-00", "test")
    (raw / "kull-17").mkdir()
    (raw / "kull-17" / "members.csv").write_bytes(MEMBERS)
    (raw / "kull-17" / "evaluation.csv").write_bytes(EVALUATION)
    (raw / "README.md").write_text("# raw\n", encoding="utf-8")
    return raw


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_keygen_writes_an_owner_only_key_and_never_overwrites(key: tuple[Path, Path]) -> None:
    private, recipients = key
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert "AGE-SECRET-KEY-1" in private.read_text(encoding="utf-8")
    assert len(load_recipients(recipients)) == 1
    with pytest.raises(PipelineError, match="never overwritten"):
        generate_key(private)
    with pytest.raises(PipelineError, match="inside the project"):
        generate_key(crypt.PATHS.root / "build" / "age-key.txt")


def test_encrypted_cohort_round_trips_to_identical_bytes(
    raw: Path, key: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    private, recipients = key
    written = encrypt_cohort(raw / "kull-17", load_recipients(recipients))

    assert sorted(p.name for p in written) == ["evaluation.csv.age", "members.csv.age"]
    assert sorted(p.name for p in (raw / "kull-17").iterdir()) == [
        "evaluation.csv.age",
        "members.csv.age",
    ]  # the plain files are gone
    sealed = (raw / "kull-17" / "members.csv.age").read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1\n") and b"kvinne" not in sealed

    monkeypatch.setenv(crypt.KEY_FILE_ENV, str(private))
    work = readable_raw(raw)

    assert work == raw.parent / "decrypted"
    assert stat.S_IMODE(work.stat().st_mode) == 0o700
    tree = _tree(work)
    assert tree["kull-17/members.csv"] == MEMBERS
    assert tree["kull-17/evaluation.csv"] == EVALUATION
    assert tree["kull-00/groups.csv"] == b"group_id,kull\nk00-g1,0\n"
    assert is_synthetic_cohort(work / "kull-00") and not is_synthetic_cohort(work / "kull-17")


def test_the_key_may_come_from_the_environment(
    raw: Path, key: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    private, recipients = key
    encrypt_cohort(raw / "kull-17", load_recipients(recipients))
    monkeypatch.setenv(crypt.KEY_ENV, private.read_text(encoding="utf-8"))
    assert _tree(readable_raw(raw))["kull-17/members.csv"] == MEMBERS


def test_without_the_key_one_clear_line_and_nothing_written(
    raw: Path, key: tuple[Path, Path]
) -> None:
    private, recipients = key
    encrypt_cohort(raw / "kull-17", load_recipients(recipients))
    private.unlink()
    before = _tree(raw.parent)

    with pytest.raises(PipelineError) as caught:
        readable_raw(raw)

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("the raw data hold encrypted cohorts and no key was found")
    assert crypt.KEY_ENV in message and crypt.KEY_FILE_ENV in message
    assert _tree(raw.parent) == before
    assert sorted(p.name for p in raw.parent.iterdir()) == ["raw"]


def test_a_wrong_key_is_named(
    raw: Path, key: tuple[Path, Path], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, recipients = key
    encrypt_cohort(raw / "kull-17", load_recipients(recipients))
    other = home / "other.txt"
    generate_key(other)
    monkeypatch.setenv(crypt.KEY_FILE_ENV, str(other))
    with pytest.raises(
        PipelineError, match=r"kull-17/evaluation\.csv\.age: cannot decrypt it with this key"
    ):
        readable_raw(raw)
    assert not (raw.parent / "decrypted").exists()


def test_a_tree_without_encrypted_cohorts_is_read_in_place(raw: Path, home: Path) -> None:
    assert readable_raw(raw) == raw
    assert not (raw.parent / "decrypted").exists()


def test_synthetic_cohorts_stay_plain(raw: Path, key: tuple[Path, Path]) -> None:
    with pytest.raises(PipelineError, match="synthetic"):
        encrypt_cohort(raw / "kull-00", load_recipients(key[1]))


def test_an_edited_synthetic_cohort_is_encrypted_and_loses_its_marker(
    raw: Path, key: tuple[Path, Path]
) -> None:
    (raw / "kull-00" / "members.csv").write_bytes(MEMBERS)
    encrypt_cohort(raw / "kull-00", load_recipients(key[1]))
    assert sorted(p.name for p in (raw / "kull-00").iterdir()) == [
        "groups.csv.age",
        "members.csv.age",
    ]
    assert not (raw / "kull-00" / MARKER).exists()


def test_a_half_encrypted_cohort_is_refused(
    raw: Path, key: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    private, recipients = key
    encrypt_cohort(raw / "kull-17", load_recipients(recipients))
    (raw / "kull-17" / "effect.csv").write_bytes(b"respondent_id\n")
    monkeypatch.setenv(crypt.KEY_FILE_ENV, str(private))
    with pytest.raises(
        PipelineError, match=r"holds encrypted files and plain ones \(effect\.csv\)"
    ):
        readable_raw(raw)


def test_recipients_are_required_to_encrypt(raw: Path, tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"no age-recipients\.txt"):
        load_recipients(tmp_path / "age-recipients.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("not a key\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="not an age public key"):
        load_recipients(bad)


def test_validate_and_decrypt_commands_read_an_encrypted_cohort(
    raw_tree, key: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from pipeline.cli import main

    private, recipients = key
    (raw_tree.root / "kull-01" / MARKER).unlink()  # kull 1 is real data now
    encrypt_cohort(raw_tree.root / "kull-01", load_recipients(recipients))
    monkeypatch.setenv(crypt.KEY_FILE_ENV, str(private))

    assert main(["validate", str(raw_tree.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 2 cohorts, 3 groups")
    assert "(synthetic data: kull 0; real: kull 1)" in out
    assert main(["decrypt", str(raw_tree.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("decrypted kull-01 into ") and "(git-ignored; the build reads it)" in out

    monkeypatch.delenv(crypt.KEY_FILE_ENV)
    assert main(["validate", str(raw_tree.root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the raw data hold encrypted cohorts and no key was found")
    assert err.count("\n") == 1
