"""The ``python -m pipeline`` commands (DESIGN.md section 5), and nothing else."""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.paths import PATHS


def _synth(args: argparse.Namespace) -> int:
    from pipeline.data.synth import write_synthetic

    summary = write_synthetic(Path(args.out), seed=args.seed, scale=args.scale)
    print(summary)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from pipeline.data.validate import validate_raw

    raw = validate_raw(Path(args.raw_dir))
    print(raw.summary())
    for note in raw.notes:
        print(f"  note: {note}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from pipeline.build.runner import STAGE_NAMES, coerce, run_stages, unknown_parameters

    extra = {name: coerce(value) for name, value in args.param}
    unknown = unknown_parameters(extra)
    if unknown:
        raise PipelineError(f"no notebook declares the parameter(s) {', '.join(unknown)}")
    base = {
        "raw_dir": str(Path(args.raw).resolve()),
        "processed_dir": str(Path(args.processed).resolve()),
        "generated_dir": str(PATHS.generated),
    }
    names = [args.stage] if args.stage else list(STAGE_NAMES)
    # papermill's cell progress bar helps on a terminal and clutters CI logs.
    from pipeline.build.incremental import forget

    with _project_lock():
        forget(PATHS, names[0])
        run_stages(names, base, extra, progress=sys.stderr.isatty() and not args.quiet)
    return 0


def _project_lock() -> AbstractContextManager[None]:
    """The build lock, so a single step never runs inside a `make report` of the same project."""
    from pipeline.build.lock import build_lock

    return build_lock(PATHS.root / "build", say=lambda line: print(line, file=sys.stderr))


def _render(args: argparse.Namespace) -> int:
    import os

    from pipeline.build.incremental import default_epoch, forget
    from pipeline.render import render

    os.environ.setdefault("SOURCE_DATE_EPOCH", default_epoch(PATHS.root))
    with _project_lock():
        forget(PATHS, "render")
        result = render(PATHS.root, renderer=args.renderer)
    print(result)
    return 0


def _provenance(args: argparse.Namespace) -> int:
    from pipeline.atomic import write_text
    from pipeline.build.manifest import provenance, provenance_markdown

    target = PATHS.generated / "_proveniens.md"
    write_text(target, provenance_markdown(provenance()))
    print(f"wrote {target.relative_to(PATHS.root)}")
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from pipeline.build.manifest import write_manifest

    baseline = Path(args.baseline) if args.baseline else None
    lines = write_manifest(baseline=baseline)
    print("Endringer siden forrige bygg:")
    for line in lines:
        print(f"  {line}")
    return 0


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _build(args: argparse.Namespace) -> int:
    import signal

    from pipeline.build.incremental import BuildRequest, build
    from pipeline.paths import Paths, find_root

    root = find_root(Path(args.project)) if args.project else PATHS.root
    request = BuildRequest(
        params=dict(args.param),
        renderer=args.renderer,
        baseline=Path(args.baseline).resolve() if args.baseline else None,
        wait=not args.no_wait,
    )
    signal.signal(signal.SIGTERM, _stop)  # a stopped build tidies up as after Ctrl-C
    build(Paths(root), request)
    return 0


def _preview(args: argparse.Namespace) -> int:
    import os

    from pipeline.render.preview import preview

    code = preview(PATHS.root, renderer=args.renderer, port=args.port)
    sys.stdout.flush()
    sys.stderr.flush()
    # A render still running in the watcher thread (its pandoc pool) must not hold up
    # Ctrl-C: the server is closed and the staging folder gone, so nothing is left to wait for.
    os._exit(code)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Rebuild the 'Konstruktiv uro' report from raw survey exports.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("synth", help="write a synthetic data/raw tree calibrated to 2019")
    p.add_argument("--out", required=True, help="folder to write kull-NN/ folders into")
    p.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    p.add_argument("--scale", type=int, default=1, help="multiply the groups (benchmarks)")
    p.set_defaults(func=_synth)

    p = sub.add_parser("validate", help="check raw data against the contract; list every problem")
    p.add_argument("raw_dir", nargs="?", default=str(PATHS.raw), help="default data/raw")
    p.set_defaults(func=_validate)

    from pipeline.build.inputs import DATA_STAGES

    p = sub.add_parser("run", help="execute the notebooks with papermill, stage by stage")
    p.add_argument("--raw", default=str(PATHS.raw), help="raw data folder (default data/raw)")
    p.add_argument("--processed", default=str(PATHS.processed), help="default data/processed")
    p.add_argument("--stage", choices=[s.name for s in DATA_STAGES], help="run only this stage")
    p.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="parameter for every notebook that declares it, e.g. -p as_of 2019-06-30",
    )
    p.add_argument("--quiet", action="store_true", help="no papermill progress bar")
    p.set_defaults(func=_run)

    p = sub.add_parser("render", help="render the book to _book/ (HTML and PDF)")
    p.add_argument("--renderer", choices=("auto", "quarto", "builtin"), default="auto")
    p.set_defaults(func=_render)

    p = sub.add_parser("provenance", help="write appendix C's provenance fragment")
    p.set_defaults(func=_provenance)

    p = sub.add_parser("manifest", help="write _book/build-manifest.json and the change summary")
    p.add_argument("--baseline", help="compare with this manifest instead of the last build's")
    p.set_defaults(func=_manifest)

    p = sub.add_parser(
        "build",
        help="what make report does: every stale stage, render, provenance and manifest",
        description="Reruns each stage whose inputs (files, code, parameters, renderer) "
        "changed by content, one build at a time per project.",
    )
    p.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="notebook parameter, e.g. -p as_of 2019-06-30 -p cohorts 0-7",
    )
    p.add_argument("--renderer", choices=("auto", "quarto", "builtin"), default="auto")
    p.add_argument("--baseline", help="compare with this manifest instead of the last build's")
    p.add_argument("--project", help="project folder (default: the one this runs in)")
    p.add_argument(
        "--no-wait", action="store_true", help="exit at once if a build is already running"
    )
    p.set_defaults(func=_build)

    p = sub.add_parser(
        "preview",
        help="serve the HTML book on 127.0.0.1 and render it again on every edit (Ctrl-C ends)",
    )
    p.add_argument("--renderer", choices=("auto", "quarto", "builtin"), default="auto")
    p.add_argument("--port", type=int, default=4848, help="0 picks a free port (default 4848)")
    p.set_defaults(func=_preview)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the previous outputs are left as they were", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
