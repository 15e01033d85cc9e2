"""The real texts the parity tests run on: eval corpora (spun and original) and the seeds."""

import json
import os
from pathlib import Path

ROOT = Path(os.environ.get("SPINDETECT_ROOT") or Path(__file__).resolve().parents[4])


def texts():
    """(name, text) for every eval text and seed, in a fixed order."""
    out = []
    for path in sorted((ROOT / "corpus" / "eval").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            record = json.loads(line)
            for field in ("spun", "original"):
                if isinstance(record.get(field), str):
                    out.append((f"{path.name}:{number}:{field}", record[field]))
    for path in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")):
        out.append((path.name, path.read_text(encoding="utf-8")))
    return out
