"""The compiled core reports what the pure-Python detector reported, text for text.

``tests/fixtures/parity/findings.jsonl.gz`` was written by ``scripts/record_parity.py`` with the
pure-Python detector (the last version before the core) on every text of ``corpus/eval`` (spun
and original sides; the science set with and without its reference) and on the seeds.  The core
must give the same spans, suggestions, sources and reasons, scores within 1e-6, the same verdict
score and the same evidence.  This comparison is retired by the commit that changes detection
behaviour on purpose, which says so.
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest

import spindetect

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests" / "fixtures" / "parity" / "findings.jsonl.gz"
TOLERANCE = 1e-6


def _recorded() -> list[dict]:
    with gzip.open(RECORDED, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _texts() -> dict[tuple[str, str, str], str]:
    texts = {}
    for name in ("dev", "heldout", "consistent", "science"):
        with (ROOT / "corpus" / "eval" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                for side in ("spun", "original"):
                    texts[(name, record["name"], side)] = record[side]
    for path in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")):
        texts[("seeds", path.name, "text")] = path.read_text(encoding="utf-8")
    return texts


ROWS = _recorded()
TEXTS = _texts()
SETS = sorted({row["set"] for row in ROWS})


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.0, abs_tol=TOLERANCE)


@pytest.mark.parametrize("set_name", SETS)
def test_core_reports_what_the_python_detector_reported(set_name):
    rows = [row for row in ROWS if row["set"] == set_name]
    assert rows
    differences = []
    for row in rows:
        text = TEXTS[(row["set"], row["name"], row["side"])]
        references = [ROOT / "corpus" / name for name in row["references"]]
        report = spindetect.scan(text, references=references)
        got = [
            [f.start, f.end, f.text, f.suggestion, f.score, f.source, f.reason]
            for f in report.findings
        ]
        want = row["findings"]
        label = "/".join([row["name"], row["side"], *row["references"]])
        same_findings = len(got) == len(want) and all(
            g[:4] == w[:4] and g[5:] == w[5:] and _close(g[4], w[4])
            for g, w in zip(got, want, strict=True)
        )
        if not same_findings:
            differences.append((label, "findings", got, want))
            continue
        if not _close(report.score, row["score"]) or report.words != row["words"]:
            differences.append(
                (label, "verdict", (report.score, report.words), (row["score"], row["words"]))
            )
            continue
        evidence = report.meta.get("evidence")
        if (evidence is None) != (row["evidence"] is None) or (
            evidence and any(not _close(evidence[k], v) for k, v in row["evidence"].items())
        ):
            differences.append((label, "evidence", evidence, row["evidence"]))
    assert not differences, (
        f"{len(differences)} of {len(rows)} texts differ; first: {differences[0]}"
    )
