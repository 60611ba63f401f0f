"""``baocao extract PATH... [--format jsonl|csv|parquet] [-o OUT]``: figures of reports."""

from __future__ import annotations

import argparse

from ..api import empty_frame
from ..console import print_error
from ..output import FORMATS, FrameWriter
from . import add_parallel_options


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="extract every figure of one or more reports as observations",
        description="Extract every figure of the given reports as observations, one record "
        "per figure. The fields and their conventions are described in the book: chapter "
        "'Data and methods', section 'The observation contract' (book/data_methods.md), and "
        "the 'Data dictionary' page (book/dictionary.md; data/processed/dictionary.csv after "
        "`baocao build`). Bad inputs are reported as one line each on stderr; the others "
        "are still processed, and the exit code is then 2.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files (.pdf .html .md .txt)")
    p.add_argument("--format", choices=FORMATS, default="jsonl", help="output format")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    p.add_argument("--password", help="password for encrypted PDFs")
    add_parallel_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..outfile import OutputError
    from ..parallel import iter_reports

    # Results stream in input order and are written as they arrive: memory stays flat
    # however many reports, and writing overlaps the workers' extraction.
    read_any = failed = False
    try:
        with FrameWriter(args.output, args.format, inputs=args.paths) as writer:
            for result in iter_reports(
                args.paths,
                jobs=args.jobs,
                executor=args.executor,
                scheduler=args.scheduler,
                password=args.password,
            ):
                if result.error is not None:
                    failed = True
                    print_error(result.source, result.error)
                    continue
                read_any = True
                if result.frame is not None and len(result.frame):
                    writer.write(result.frame)
            if not read_any and args.output not in (None, "-"):
                writer.discard()  # nothing was read: leave no output file behind
                return 2
            if writer.rows == 0:
                writer.write(empty_frame())  # CSV header / Parquet schema of an empty result
            writer.commit()
    except BrokenPipeError:
        raise  # the reader of stdout went away (``| head``): not an error, see cli.main
    except OutputError as err:
        print_error(err.path, err.reason)
        return 2
    except (OSError, ValueError) as err:
        print_error(args.output or "-", f"cannot write output ({err})")
        return 2
    return 2 if failed else 0
