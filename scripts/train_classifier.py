"""Train the suspect model and the document classifier reproducibly.

Writes ``corpus/suspect_model.json`` and ``corpus/document_model.json`` in the formats the
compiled core reads (``rust/engine/src/suspects.rs``, ``verdict.rs``), with
:mod:`spindetect.tools.training`; every feature is measured by the core.

Training documents: prose of the CPython 3.11 tutorial, HOWTOs, FAQ and What's New (the sections
the null model is built from; disjoint from the held-out set, which uses the library reference,
and from the dev set), as paragraphs (20-120 words) and articles (8-25 paragraphs), each kept
clean and spun by :func:`spindetect.tools.simulate.spin` at a rate drawn from 5% to 60%.

1. Suspect model: every thesaurus suspect of every training text is labelled substituted when
   it overlaps one of the simulator's substitutions.  scikit-learn's gradient-boosted trees
   (``HistGradientBoostingClassifier``, fixed seed, no early stopping) are fitted and their
   nodes written as plain arrays (``rust/engine/src/trees.rs``).  The core loaded with the
   written file must reproduce scikit-learn's trees: the largest difference between its
   document evidence and the one scikit-learn's log-odds give is printed.
2. Document model: scikit-learn's ``LogisticRegression`` on the standardised document features,
   measured by the core loaded with the model of step 1 (its findings before confirmed swaps
   are followed, and the suspects' mixture likelihood ratio).

Every random choice is seeded, so the same inputs give the same files.  Cross-validated ROC AUCs
(suspects grouped by document) are printed.

Usage: ``python scripts/train_classifier.py [--docs DIR] [--paragraphs 200] [--articles 60]``
(the defaults reproduce the shipped files; fewer documents give a quick trial run).
"""

from __future__ import annotations

import argparse
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from build_null import SECTIONS
from make_eval_set import pages
from spindetect.api import chunks
from spindetect.findings import Evidence
from spindetect.tools.simulate import spin
from spindetect.tools.training import (
    SUSPECT_FEATURES,
    document_features,
    document_model_json,
    engine,
    mixture_log_ratio,
    suspect_model_json,
    tree_dict,
)

ROOT = Path(__file__).resolve().parents[1]
MIXTURE_SHARE = 0.2  # share of spun suspects in the alternative of the document evidence


def documents(docs: Path, paragraphs: int, articles: int, rng: random.Random) -> list[str]:
    """Clean training texts drawn from the null model's documentation sections."""
    all_pages = pages(docs, list(SECTIONS))
    texts = [rng.choice(rng.choice(all_pages)[1]) for _ in range(paragraphs)]
    long_pages = [paras for _, paras in all_pages if len(paras) >= 8]
    for _ in range(articles):
        paras = rng.choice(long_pages)
        size = rng.randint(8, min(25, len(paras)))
        start = rng.randint(0, len(paras) - size)
        texts.append("\n\n".join(paras[start : start + size]))
    return texts


class Sample:
    """A training text: its suspects' features with their labels, and its certain artefacts
    (neither depends on the suspect model), measured piece by piece by the core."""

    def __init__(self, core: Any, text: str, label: int, substituted: list[tuple[int, int]]):
        self.text = text
        self.label = label
        self.artefacts = 0
        self.pieces: list[np.ndarray] = []  # each piece's suspect rows
        labels: list[int] = []
        for offset, piece in chunks(text):
            self.artefacts += Evidence(*core.scan(piece)[1]).artefacts
            rows, spans = core.suspect_table(piece)
            self.pieces.append(
                np.asarray(rows, dtype=np.float64).reshape(-1, len(SUSPECT_FEATURES))
            )
            labels += [
                int(any(s < end + offset and start + offset < e for s, e in substituted))
                for start, end in spans
            ]
        self.suspects = np.concatenate(self.pieces)
        self.suspect_labels = np.array(labels, dtype=np.int64)

    def scan(self, core: Any) -> tuple[int, Evidence, int]:
        """Findings (before confirmed swaps are followed), evidence and words of the text."""
        findings, evidence, words = 0, Evidence(), 0
        for _, piece in chunks(self.text):
            found, piece_evidence, piece_words = core.scan(piece)
            piece_evidence = Evidence(*piece_evidence)
            findings += len(found) - piece_evidence.followed
            evidence += piece_evidence
            words += piece_words
        return findings, evidence, words


def artefact_log_ratio(samples: list[Sample]) -> float:
    """log of (certain artefacts per substituted suspect in the spun texts) over (artefacts per
    suspect in the clean texts), both counts smoothed by 0.5."""
    spun = [sample for sample in samples if sample.label]
    clean = [sample for sample in samples if not sample.label]
    spun_rate = (sum(s.artefacts for s in spun) + 0.5) / max(
        sum(int(s.suspect_labels.sum()) for s in spun), 1
    )
    clean_rate = (sum(s.artefacts for s in clean) + 0.5) / max(
        sum(len(s.suspect_labels) for s in clean), 1
    )
    return math.log(spun_rate / clean_rate)


def suspect_classifier() -> HistGradientBoostingClassifier:
    """The suspect model's learner: boosted trees (the features interact: a 5-fold grouped
    ROC AUC of 0.84 against 0.79 for an additive spline-logistic model on the same data)."""
    return HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.1, early_stopping=False, random_state=0
    )


def evidence_error(
    fitted: HistGradientBoostingClassifier,
    prior_log_odds: float,
    artefact_ratio: float,
    samples: list[Sample],
    scans: list[tuple[int, Evidence, int]],
) -> float:
    """Largest difference between the core's document evidence (with the written model) and
    the one scikit-learn's log-odds of the same suspects give."""
    error = 0.0
    for sample, (_, evidence, _) in zip(samples, scans, strict=True):
        expected = sum(
            mixture_log_ratio(fitted.decision_function(rows), prior_log_odds, MIXTURE_SHARE)
            for rows in sample.pieces
            if len(rows)
        )
        expected += mixture_log_ratio(
            np.zeros(0), prior_log_odds, MIXTURE_SHARE, sample.artefacts, artefact_ratio
        )
        error = max(error, abs(evidence.suspect_log_ratio - expected))
    return error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs", type=Path, default=Path("/usr/share/doc/python3.11/html/_sources")
    )
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "document_model.json")
    parser.add_argument("--suspect-out", type=Path, default=ROOT / "corpus" / "suspect_model.json")
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--sources",
        default="moby",
        metavar="NAME,...",
        help="candidate sources the features are measured with (DetectorConfig.sources)",
    )
    args = parser.parse_args()
    if not args.docs.is_dir():
        raise SystemExit(f"{args.docs}: not found (apt-get install python3-doc)")
    rng = random.Random(args.seed)
    sources = tuple(name.strip() for name in args.sources.split(",") if name.strip())
    if not sources:
        parser.error("--sources: name at least one source")
    core = engine(sources=sources)
    samples = []
    for text in documents(args.docs, args.paragraphs, args.articles, rng):
        spun = spin(text, rate=round(rng.uniform(0.05, 0.6), 2), seed=rng.randrange(1 << 30))
        samples.append(Sample(core, text, 0, []))
        spans = [(item.start, item.end) for item in spun.substitutions]
        samples.append(Sample(core, spun.text, 1, spans))
    source = f"simulated documents from CPython docs ({', '.join(SECTIONS)}), seed {args.seed}"

    data = np.concatenate([sample.suspects for sample in samples])
    labels = np.concatenate([sample.suspect_labels for sample in samples])
    groups = np.repeat(np.arange(len(samples)), [len(s.suspect_labels) for s in samples])
    learner = suspect_classifier()
    suspect_auc = cross_val_score(
        learner, data, labels, groups=groups, cv=GroupKFold(5), scoring="roc_auc"
    )
    learner.fit(data, labels)
    prior = float(labels.mean())
    prior_log_odds = math.log(prior / (1.0 - prior))
    artefact_ratio = artefact_log_ratio(samples)
    text = suspect_model_json(
        tree_dict(learner),
        prior_log_odds,
        MIXTURE_SHARE,
        artefact_ratio,
        f"{len(labels)} suspects of {len(samples)} {source}",
    )
    args.suspect_out.write_text(text + "\n", encoding="utf-8")
    print(
        f"wrote {args.suspect_out}: {len(labels)} suspects ({labels.mean():.1%} substituted), "
        f"5-fold ROC AUC {suspect_auc.mean():.3f} (+/- {suspect_auc.std():.3f}); "
        f"log ratio of a certain artefact {artefact_ratio:.2f}"
    )

    core = engine(suspects=args.suspect_out, sources=sources)
    scans = [sample.scan(core) for sample in samples]
    error = evidence_error(learner, prior_log_odds, artefact_ratio, samples, scans)
    print(f"suspect model in the core: largest evidence error against scikit-learn {error:.2e}")
    rows = [document_features(*scanned) for scanned in scans]
    targets = [sample.label for sample in samples]
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    auc = cross_val_score(pipeline, rows, targets, cv=5, scoring="roc_auc")
    pipeline.fit(rows, targets)
    scaler, model = pipeline[0], pipeline[1]
    text = document_model_json(
        scaler.mean_, scaler.scale_, model.coef_[0], model.intercept_[0], f"{len(rows)} {source}"
    )
    args.out.write_text(text + "\n", encoding="utf-8")
    print(
        f"wrote {args.out}: {len(rows)} documents, "
        f"5-fold ROC AUC {auc.mean():.3f} (+/- {auc.std():.3f})"
    )


if __name__ == "__main__":
    main()
