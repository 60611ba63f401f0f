"""Score the extractor against hand labels and write ``benchmarks/results/accuracy.json``.

``make eval`` runs this. Each labelled set is scored with the development set's own scorer
(``../shared/dev/score.py``), once for the whole set and once per document, so a reader of
the methods page sees where the figures come from and where they are missed:

- ``seed``: the shipped report against its hand-checked figures (``shared/spec``);
- ``dev``: the eight genre documents of ``shared/dev`` (170 labels);
- ``genre``: this project's own genre documents (``tests/genre/``), written in our words
  around real figures of other provinces and report types;
- any further ``NAME=LABELS:DOCDIR`` given on the command line (e.g. a folder of real pages
  kept outside the repository, whose text is not ours to ship), reported, and recorded
  with ``"shipped": false`` when ``--record-extra`` is given.

    python benchmarks/eval.py                       # seed, dev, genre → results/accuracy.json
    python benchmarks/eval.py --extra real=/x/labels.jsonl:/x --record-extra
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results" / "accuracy.json"
SUMMARY = re.compile(r"precision=([\d.]+) recall=([\d.]+) labels=(\d+) predicted=(\d+)")


DESCRIPTIONS = {
    "seed": "the shipped report (UBND Lạng Sơn, August 2017) against its 100 hand-checked "
            "figures",
    "dev": "the development set: eight genre documents around real figures (170 labels)",
    "genre": "this project's own genre documents (tests/genre: ten report types and "
             "provinces, our words around real figures)",
}


def _previous_extras() -> dict:
    """Sets recorded before whose texts are not at hand now: kept as they were."""
    try:
        old = json.loads(RESULTS.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in old.get("sets", {}).items() if not v.get("shipped", True)}


def _sets() -> dict[str, tuple[Path, Path]]:
    return {
        "seed": (SHARED / "spec" / "seed_expected.jsonl", SHARED / "seeds"),
        "dev": (SHARED / "dev" / "labels.jsonl", SHARED / "dev"),
        "genre": (ROOT / "tests" / "genre" / "labels.jsonl", ROOT / "tests" / "genre"),
    }


def _score(scorer: Path, labels: Path, docdir: Path) -> dict:
    """Run the scorer on one labels file; its last line is the summary."""
    baocao = str(Path(sys.executable).with_name("baocao"))
    out = subprocess.run(
        [sys.executable, str(scorer), baocao, str(labels), str(docdir)],
        capture_output=True, text=True, check=True,
    )
    m = SUMMARY.search(out.stdout.strip().splitlines()[-1])
    if m is None:
        raise RuntimeError(f"unexpected scorer output: {out.stdout[-300:]}")
    p, r, n, k = m.groups()
    return {"precision": float(p), "recall": float(r), "labels": int(n), "predicted": int(k)}


def score_set(scorer: Path, labels: Path, docdir: Path) -> dict:
    """The whole set's score and each document's."""
    rows = [json.loads(x) for x in labels.read_text("utf-8").splitlines() if x.strip()]
    by_doc: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc"]].append(json.dumps(row, ensure_ascii=False))
    result = _score(scorer, labels, docdir)
    result["documents"] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for doc, lines in sorted(by_doc.items()):
            one = Path(tmp) / "labels.jsonl"
            one.write_text("\n".join(lines) + "\n", "utf-8")
            result["documents"][doc] = _score(scorer, one, docdir)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="append", default=[], metavar="NAME=LABELS:DOCDIR")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--record-extra", action="store_true",
                        help="also record the --extra sets (their texts are not shipped)")
    parser.add_argument("--describe", action="append", default=[], metavar="NAME=TEXT",
                        help="what an --extra set is, for the record")
    parser.add_argument("--only", help="score one named set")
    args = parser.parse_args(argv)
    scorer = SHARED / "dev" / "score.py"
    if not scorer.is_file():
        print(f"eval: {scorer} not found (../shared must sit beside the checkout)",
              file=sys.stderr)
        return 2
    sets = _sets()
    for extra in args.extra:
        name, _, paths = extra.partition("=")
        labels, _, docdir = paths.partition(":")
        sets[name] = (Path(labels), Path(docdir))
    results = {}
    for name, (labels, docdir) in sets.items():
        if args.only and name != args.only:
            continue
        if not labels.is_file():
            continue
        results[name] = score_set(scorer, labels, docdir)
        r = results[name]
        print(f"{name:8s} precision={r['precision']:.3f} recall={r['recall']:.3f} "
              f"labels={r['labels']} predicted={r['predicted']}")
    if not args.no_write and not args.only:
        described = dict(d.partition("=")[::2] for d in args.describe)
        recorded = {}
        for name, result in results.items():
            if name in _sets():
                recorded[name] = {"shipped": True, "what": DESCRIPTIONS[name], **result}
            elif args.record_extra:
                recorded[name] = {"shipped": False, "what": described.get(name, name),
                                  **{k: v for k, v in result.items() if k != "documents"}}
        previous = _previous_extras() if not args.record_extra else {}
        record = {
            "date": dt.date.today().isoformat(),
            "scorer": "shared/dev/score.py",
            "sets": {**recorded, **previous},
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        tmp = RESULTS.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
        os.replace(tmp, RESULTS)
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
