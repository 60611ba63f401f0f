"""``baocao build``: every report of ``data/raw`` plus the reference figures, derived,
audited and published to ``data/processed`` (all or nothing)."""

from __future__ import annotations

import argparse
import sys

from . import add_parallel_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the dataset (data/processed) from data/raw and the reference figures",
        description="Extract every report listed by a sidecar (*.meta.json) of the raw "
        "folder, verify its sha256, add the reference figures, derive, audit, validate and "
        "write observations (CSV, Parquet), audit.csv, dictionary.csv/.md and "
        "datapackage.json. A failure prints one line and leaves the previous outputs intact.",
    )
    add_parallel_options(p)
    p.add_argument("--raw", default="data/raw", metavar="DIR",
                   help="folder of reports and their sidecars (default data/raw)")
    p.add_argument("--reference", default="data/reference/published_figures.csv",
                   metavar="FILE", help="reference figures CSV ('none' to leave them out)")
    p.add_argument("--out", default="data/processed", metavar="DIR",
                   help="output folder (default data/processed)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..console import print_error
    from ..publish.build import BuildError, SchemaViolation, build

    if args.jobs < 0:
        print(f"baocao: --jobs: must be 0 (all CPUs) or more, not {args.jobs}",
              file=sys.stderr)
        return 2
    reference = None if args.reference in ("", "none") else args.reference
    try:
        result = build(args.raw, reference, args.out, jobs=args.jobs,
                       executor=args.executor, scheduler=args.scheduler)
    except SchemaViolation as err:
        for problem in err.problems:
            print_error(err.path, problem)
        return 2
    except BuildError as err:
        print_error(err.path, err.reason)
        return 2
    except OSError as err:
        print_error(args.out, f"cannot write the build ({err.strerror or err})")
        return 2
    print(result.summary())
    return 0
