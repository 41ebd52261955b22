"""Real cohorts at rest: encrypted with age (``pyrage``), decrypted only into a working folder.

A real cohort is personal data (DESIGN.md §10), so the repository keeps it only as
``kull-NN/*.csv.age``: age files encrypted to the public keys in ``data/age-recipients.txt``
(committed; public keys are not secret). Encrypting needs only those; decrypting needs a
private key (an age identity), which never enters the repository: ``KONSTRUKTIV_URO_AGE_KEY``
holds the key itself (CI gets it as a secret), ``KONSTRUKTIV_URO_AGE_KEY_FILE`` names a key
file, and ``~/.config/konstruktiv-uro/age-key.txt`` is the default key file. The build reads
a raw tree with encrypted cohorts through ``readable_raw``, which decrypts it into the
git-ignored ``decrypted/`` folder beside it (``data/decrypted``) and copies the plain
(synthetic) cohorts there unchanged.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

import pyrage
from pyrage import x25519

from pipeline.atomic import write_bytes
from pipeline.data.marker import MARKER, is_synthetic_cohort
from pipeline.errors import PipelineError
from pipeline.paths import PATHS

SUFFIX = ".age"
KEY_ENV = "KONSTRUKTIV_URO_AGE_KEY"
KEY_FILE_ENV = "KONSTRUKTIV_URO_AGE_KEY_FILE"
DEFAULT_KEY_FILE = Path("~/.config/konstruktiv-uro/age-key.txt")
RECIPIENTS = PATHS.root / "data" / "age-recipients.txt"
WORK_DIR_NAME = "decrypted"
COHORT_DIR = re.compile(r"kull-\d\d")


def _lines(text: str) -> list[str]:
    """Non-blank lines without ``#`` comments: the format of age's key and recipient files."""
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def _inside_project(path: Path) -> bool:
    return path.resolve().is_relative_to(PATHS.root)


def load_recipients(path: Path = RECIPIENTS) -> list[x25519.Recipient]:
    """The public keys every real cohort is encrypted to."""
    if not path.is_file():
        raise PipelineError(
            f"no {path.name}: add the team's age public keys (age1…) to "
            f"{path} first (python -m pipeline keygen makes a key pair)"
        )
    try:
        keys = [x25519.Recipient.from_str(line) for line in _lines(path.read_text("utf-8"))]
    except pyrage.RecipientError as exc:
        raise PipelineError(f"{path}: not an age public key (age1…): {exc}") from None
    if not keys:
        raise PipelineError(f"{path} lists no age public key (age1…)")
    return keys


def _parse_identities(text: str, source: str) -> list[x25519.Identity]:
    try:
        keys = [x25519.Identity.from_str(line) for line in _lines(text)]
    except pyrage.IdentityError:
        raise PipelineError(f"{source} holds no valid age key (AGE-SECRET-KEY-1…)") from None
    if not keys:
        raise PipelineError(f"{source} holds no age key (AGE-SECRET-KEY-1…)")
    return keys


def load_identities() -> list[x25519.Identity]:
    """The private key(s) from the environment or the key file; one clear line if none."""
    if os.environ.get(KEY_ENV):
        return _parse_identities(os.environ[KEY_ENV], f"${KEY_ENV}")
    named = os.environ.get(KEY_FILE_ENV)
    path = Path(named).expanduser() if named else DEFAULT_KEY_FILE.expanduser()
    if not path.is_file():
        where = (
            f"${KEY_FILE_ENV} names {path}, which does not exist"
            if named
            else (f"set ${KEY_ENV} or ${KEY_FILE_ENV}, or put the key in {DEFAULT_KEY_FILE}")
        )
        raise PipelineError(f"the raw data hold encrypted cohorts and no key was found: {where}")
    if _inside_project(path):
        raise PipelineError(f"{path} is inside the project: keep the age key outside it")
    return _parse_identities(path.read_text(encoding="utf-8"), str(path))


def generate_key(path: Path) -> str:
    """Writes a new private key to ``path`` (owner-only) and returns its public key."""
    path = path.expanduser()
    if path.exists():
        raise PipelineError(f"{path} already exists; a key is never overwritten")
    if _inside_project(path):
        raise PipelineError(f"{path} is inside the project: keep the age key outside it")
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"# public key: {public}\n{identity}\n")
    return public


def _data_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.name != MARKER and not p.name.startswith(".")
    )


def is_encrypted_cohort(folder: Path) -> bool:
    return any(p.name.endswith(SUFFIX) for p in _data_files(folder))


def encrypt_cohort(
    folder: Path, recipients: list[x25519.Recipient], keep: bool = False
) -> list[Path]:
    """Encrypts each plain file of a real cohort to ``name.age`` and removes the plain file.

    Synthetic cohorts stay plain (DESIGN.md §10) and are refused. A stale ``SYNTHETIC``
    marker (the folder was a synthetic one, since edited) is removed, since the folder is
    real now. ``keep`` leaves the plain files in place (they must then not be committed).
    """
    if not folder.is_dir() or not COHORT_DIR.fullmatch(folder.name):
        raise PipelineError(f"{folder} is not a cohort folder (kull-NN)")
    if is_synthetic_cohort(folder):
        raise PipelineError(f"{folder} is synthetic (its files match its marker); it stays plain")
    plain = [p for p in _data_files(folder) if not p.name.endswith(SUFFIX)]
    if not plain:
        raise PipelineError(f"{folder} holds no plain file to encrypt")
    written = []
    for path in plain:
        target = path.with_name(path.name + SUFFIX)
        write_bytes(target, pyrage.encrypt(path.read_bytes(), recipients))
        written.append(target)
    if not keep:
        for path in plain:
            path.unlink()
    (folder / MARKER).unlink(missing_ok=True)
    return written


def decrypt_file(path: Path, identities: Iterable[x25519.Identity]) -> bytes:
    try:
        return pyrage.decrypt(path.read_bytes(), list(identities))
    except pyrage.DecryptError:
        raise PipelineError(
            f"{path}: cannot decrypt it with this key (is the key one of its recipients?)"
        ) from None


def _copy_cohort(folder: Path, target: Path, identities: list[x25519.Identity]) -> None:
    """Copies one cohort into the working folder, decrypting its ``.age`` files."""
    target.mkdir()
    files = [p for p in folder.iterdir() if p.is_file()]
    encrypted = [p for p in files if p.name.endswith(SUFFIX)]
    plain = [p for p in files if not p.name.endswith(SUFFIX) and not p.name.startswith(".")]
    if encrypted and plain:
        names = ", ".join(p.name for p in plain)
        raise PipelineError(
            f"{folder} holds encrypted files and plain ones ({names}): "
            f"encrypt the rest with python -m pipeline encrypt {folder}"
        )
    for path in files:
        if path.name.endswith(SUFFIX):
            name = path.name[: -len(SUFFIX)]
            (target / name).write_bytes(decrypt_file(path, identities))
        else:
            shutil.copyfile(path, target / path.name)


def work_dir_for(raw_dir: Path) -> Path:
    """Where a raw tree's decrypted copy goes: ``decrypted/`` beside it (git-ignored)."""
    return raw_dir.resolve().parent / WORK_DIR_NAME


def encrypted_cohorts(raw_dir: Path) -> list[Path]:
    if not raw_dir.is_dir():
        return []
    return [
        p
        for p in sorted(raw_dir.iterdir())
        if p.is_dir() and COHORT_DIR.fullmatch(p.name) and is_encrypted_cohort(p)
    ]


def readable_raw(raw_dir: Path) -> Path:
    """The raw tree the pipeline can read: ``raw_dir`` itself, or its decrypted copy.

    With no encrypted cohort this writes nothing. Otherwise it needs the key before it
    writes anything, decrypts into a new folder, and swaps that in for the previous
    working folder, so a failure leaves no half-decrypted tree.
    """
    raw_dir = Path(raw_dir)
    if not encrypted_cohorts(raw_dir):
        return raw_dir
    identities = load_identities()
    work = work_dir_for(raw_dir)
    staging = work.with_name(f".{work.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    try:
        for entry in sorted(raw_dir.iterdir()):
            if entry.is_dir() and COHORT_DIR.fullmatch(entry.name):
                _copy_cohort(entry, staging / entry.name, identities)
            elif entry.is_dir():
                shutil.copytree(entry, staging / entry.name)
            else:
                shutil.copyfile(entry, staging / entry.name)
        old = work.with_name(f".{work.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if work.exists():
            work.rename(old)
        staging.rename(work)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    os.chmod(work, stat.S_IRWXU)
    return work
