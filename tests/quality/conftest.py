"""Shared helpers for the quality gates that drive Node tools installed by ``make test``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

QUALITY = Path(__file__).parent
NODE_MODULES = QUALITY / "node_modules"


@pytest.fixture(scope="session")
def node() -> str:
    exe = shutil.which("node")
    if exe is None or not NODE_MODULES.is_dir():
        pytest.fail("Node.js and tests/quality/node_modules are required: run 'make test'")
    return exe
