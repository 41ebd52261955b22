import os
import sys
from pathlib import Path

from pipeline.paths import ROOT

# A copied working folder keeps a .venv whose editable install points at the original
# checkout; run this project's own code instead (DESIGN.md section 7).
_here = Path(__file__).resolve().parent
_own = ROOT / "src" / "pipeline"
if _own.is_dir() and _own.resolve() != _here and not os.environ.get("PIPELINE_OWN_CODE"):
    _path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    _env = {**os.environ, "PYTHONPATH": _path, "PIPELINE_OWN_CODE": "1"}
    os.execve(sys.executable, [sys.executable, "-m", "pipeline", *sys.argv[1:]], _env)

from pipeline.cli import main  # noqa: E402

raise SystemExit(main())
