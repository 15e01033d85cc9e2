"""Record what the detector reports on the eval sets and the seeds, as a parity fixture.

Each line of the output is one scanned text: its set, name and side (spun or original), the
reference used, the findings (start, end, text, suggestion, score, source, reason), the verdict
score and the evidence.  The compiled core is checked against the file this wrote from the
pure-Python detector (tests/test_parity.py); rerun it only when detection behaviour changes on
purpose, and say so in the commit.

    python scripts/record_parity.py -o tests/fixtures/parity/findings.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import spindetect
from spindetect.jsonl import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
SETS = ("dev", "heldout", "consistent", "science")
SCIENCE_REFERENCE = ROOT / "corpus" / "science_reference.spref"


def texts():
    """(set, name, side, references, text) of every text the fixture covers."""
    for name in SETS:
        for _, record in read_jsonl(ROOT / "corpus" / "eval" / f"{name}.jsonl"):
            for side in ("spun", "original"):
                yield name, record["name"], side, (), record[side]
                if name == "science":
                    yield name, record["name"], side, (str(SCIENCE_REFERENCE),), record[side]
    for path in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")):
        yield "seeds", path.name, "text", (), path.read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    with gzip.open(args.output, "wt", encoding="utf-8") as out:
        for set_name, name, side, references, text in texts():
            report = spindetect.scan(text, references=references)
            row = {
                "set": set_name,
                "name": name,
                "side": side,
                "references": [Path(r).name for r in references],
                "findings": [
                    [f.start, f.end, f.text, f.suggestion, f.score, f.source, f.reason]
                    for f in report.findings
                ],
                "score": report.score,
                "words": report.words,
                "evidence": report.meta.get("evidence"),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
