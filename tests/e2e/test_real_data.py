"""A project with an encrypted (real) cohort: built with the key, refused at once without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.build.workspace import copy_project
from pipeline.data import crypt
from pipeline.data.crypt import encrypt_cohort, generate_key, load_recipients
from pipeline.data.synth import write_synthetic
from tests.conftest import make


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".venv" not in p.relative_to(root).parts
    }


def test_build_without_the_key_fails_with_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "project")
    home = tmp_path / "home"
    public = generate_key(home / "age-key.txt")
    (root / "data" / "age-recipients.txt").write_text(f"{public}\n", encoding="utf-8")
    cohort = root / "data" / "raw" / "kull-17"
    cohort.mkdir()
    (cohort / "members.csv").write_bytes(b"member_id,group_id,gender,age\nm1,k17-g1,kvinne,57\n")
    encrypt_cohort(cohort, load_recipients(root / "data" / "age-recipients.txt"))
    (home / "age-key.txt").unlink()  # a machine without the key
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv(crypt.KEY_ENV, raising=False)
    monkeypatch.delenv(crypt.KEY_FILE_ENV, raising=False)
    before = _files(root)

    done = make(root, "report", "AS_OF=2019-06-30", "RENDERER=builtin")

    assert done.returncode != 0
    errors = [line for line in (done.stdout + done.stderr).splitlines() if "error" in line]
    assert errors[0].startswith(
        "error: the raw data hold encrypted cohorts and no key was found: "
        f"set ${crypt.KEY_ENV} or ${crypt.KEY_FILE_ENV}"
    )
    assert all(line.startswith("make") for line in errors[1:])  # make's own exit note only
    assert "Traceback" not in done.stderr
    after = _files(root)
    written = sorted(set(after) - set(before))
    assert all(path.startswith("build/") for path in written), written  # make's bookkeeping
    assert not any(path.startswith("build/notebooks") for path in written)
    assert {k: v for k, v in after.items() if k in before} == before
    for output in ("_book", "report/_generated", "data/decrypted", "data/processed/results"):
        assert not (root / output).exists(), output


def test_build_with_the_key_decrypts_and_states_the_mix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "project")
    key = tmp_path / "home" / "age-key.txt"
    (root / "data" / "age-recipients.txt").write_text(f"{generate_key(key)}\n", "utf-8")
    export = tmp_path / "export"
    write_synthetic(export, scale=2)  # kull 17 of the benchmark tree stands in for real exports
    cohort = root / "data" / "raw" / "kull-17"
    cohort.mkdir()
    for name in ("groups", "members", "effect", "evaluation", "development_areas"):
        (cohort / f"{name}.csv").write_bytes((export / "kull-17" / f"{name}.csv").read_bytes())
    encrypt_cohort(cohort, load_recipients(root / "data" / "age-recipients.txt"))
    monkeypatch.setenv(crypt.KEY_FILE_ENV, str(key))

    done = make(root, "report", "AS_OF=2019-06-30", "RENDERER=builtin")

    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert "raw_dir=" + str(root / "data" / "decrypted") in done.stderr
    decrypted = root / "data" / "decrypted" / "kull-17" / "members.csv"
    assert decrypted.read_bytes() == (export / "kull-17" / "members.csv").read_bytes()
    index = (root / "_book" / "index.html").read_text(encoding="utf-8")
    assert (
        "kull 0–7, 9–12 er syntetiske data" in index and "kull 17 er deltakernes egne svar" in index
    )
    manifest = json.loads((root / "_book" / "build-manifest.json").read_text(encoding="utf-8"))
    assert manifest["real_cohorts"] == [17] and 17 not in manifest["synthetic_cohorts"]
