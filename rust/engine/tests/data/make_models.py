"""Golden data for the Rust port of calibration, trees, suspects and the document classifier.

Run from the repository root with the project's venv active:

    python rust/engine/tests/data/make_models.py

Writes ``models.jsonl.gz`` next to this script: one JSON record a line, each with a ``kind``:
``p_value`` (statistic -> p), ``q_values`` (a real p-value list, certain, min_suspects and the q
of probes), ``suspects`` (the real suspect feature rows of one eval text with the tree decision,
log ratios, evidence, share and posteriors) and ``document`` (a feature grid -> probability).
Non-finite floats are written as the strings "nan", "inf", "-inf".
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import numpy as np

from spindetect.api import get_detector
from spindetect.calibration import FalseDiscoveryControl, default_null
from spindetect.classifier import default_model, features
from spindetect.detect import Evidence
from spindetect.suspects import default_suspect_model
from spindetect.tokens import tokenize

ROOT = Path(__file__).resolve().parents[4]
OUT = Path(__file__).with_name("models.jsonl.gz")


def number(value: float) -> float | str:
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def numbers(values) -> list:
    return [number(v) for v in values]


def texts():
    for name, count in (("dev", 8), ("heldout", 6), ("science", 4), ("consistent", 4)):
        with (ROOT / "corpus" / "eval" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            for index, line in enumerate(handle):
                if index >= count:
                    break
                record = json.loads(line)
                for side in ("spun", "original"):
                    yield f"{name}/{record['name']}/{side}", record[side]
    for path in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[:2]:
        yield f"seeds/{path.name}", path.read_text(encoding="utf-8")


def main() -> None:
    null = default_null()
    model = default_suspect_model()
    document = default_model()
    detector = get_detector()
    records = []
    table = list(null.values)
    grid = [-math.inf, math.inf, math.nan, -1e300, 1e300, -50.0, 0.0, 100.0, 1e6]
    grid += table
    grid += [(a + b) / 2 for a, b in zip(table, table[1:])]
    grid += [table[-1] + step for step in (0.001, 0.5, 1.0, 3.0, 10.0, 40.0)]
    grid += [table[0] - step for step in (0.001, 1.0)]
    grid += list(np.linspace(-15.0, 25.0, 401))
    for statistic in grid:
        records.append(
            {"kind": "p_value", "statistic": number(statistic), "p": number(null.p_value(statistic))}
        )
    for name, text in texts():
        tokens = tokenize(text)
        rows, _spans = detector.suspect_table(tokens)
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, 10)
        statistics = detector.statistics(tokens)
        p_values = [float(p) for p in null.p_values(np.asarray(statistics, dtype=np.float64))]
        probes = sorted(set(p_values))[::3] + [0.0, 1e-9, 0.001, 0.01, 0.05, 0.5, 1.0, 2.0]
        for certain, min_suspects in ((0, 0), (3, 0), (0, 20), (1, 20), (0, 100000)):
            control = FalseDiscoveryControl(p_values, certain, min_suspects)
            records.append(
                {
                    "kind": "q_values",
                    "name": name,
                    "p_values": numbers(p_values),
                    "certain": certain,
                    "min_suspects": min_suspects,
                    "probes": numbers(probes),
                    "q": numbers(control.q_value(p) for p in probes),
                }
            )
        # Rows with missing values and values exactly on thresholds test the tree edges.
        edge = rows[: min(len(rows), 12)].copy()
        if len(edge):
            edge[::2, 2] = np.nan
            edge[1::3, 4] = np.nan
            thresholds = np.asarray(model.trees.threshold)
            on = thresholds[np.asarray(model.trees.left) >= 0]
            edge[:, 0] = on[: len(edge)]
            rows_all = np.vstack([rows, edge])
        else:
            rows_all = rows
        decision = model.trees.decision(rows_all) if len(rows_all) else np.zeros(0)
        ratios = model.log_ratios(rows) if len(rows) else np.zeros(0)
        shares = {str(w): model.estimate_share(ratios, w) for w in (0.0, 19.0, 200.0)}
        share = shares["19.0"]
        records.append(
            {
                "kind": "suspects",
                "name": name,
                "rows": [numbers(r) for r in rows_all],
                "scored_rows": len(rows),
                "decision": numbers(decision),
                "log_ratios": numbers(ratios),
                "evidence": {str(a): number(model.evidence(ratios, a)) for a in (0, 1, 4)},
                "shares": {k: number(v) for k, v in shares.items()},
                "posteriors": numbers(model.posteriors(ratios, share)),
            }
        )
    for findings in (0, 1, 3, 17, 250):
        for words in (0, 1, 49, 50, 51, 300, 12000):
            for ratio in (-40.0, -1.5, 0.0, 0.7, 12.0, 300.0, 1e5):
                evidence = Evidence(suspect_log_ratio=ratio)
                values = features(findings, evidence, words)
                records.append(
                    {
                        "kind": "document",
                        "findings": findings,
                        "words": words,
                        "suspect_log_ratio": ratio,
                        "features": numbers(values),
                        "probability": number(document.probability(values)),
                    }
                )
    with gzip.open(OUT, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    print(f"{OUT}: {len(records)} records")


if __name__ == "__main__":
    main()
