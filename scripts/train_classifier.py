"""Train the document classifier (``corpus/document_model.json``) reproducibly.

Training documents: prose of the CPython 3.11 tutorial, HOWTOs, FAQ and What's New (the sections
the null model is built from; disjoint from the held-out set, which uses the library reference,
and from the dev set), as paragraphs (20-120 words) and articles (8-25 paragraphs), each kept
clean and spun by :func:`spindetect.simulate.spin` at a rate drawn from 5% to 60%.  The model is
scikit-learn's ``LogisticRegression`` on standardised features (``spindetect.classifier``);
every random choice is seeded, so the same inputs give the same file.

Usage: ``python scripts/train_classifier.py [--docs DIR] [--paragraphs 200] [--articles 60]``
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from build_null import SECTIONS
from make_eval_set import pages
from spindetect.api import examine
from spindetect.classifier import DocumentModel, features
from spindetect.simulate import spin

ROOT = Path(__file__).resolve().parents[1]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs", type=Path, default=Path("/usr/share/doc/python3.11/html/_sources")
    )
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "document_model.json")
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not args.docs.is_dir():
        raise SystemExit(f"{args.docs}: not found (apt-get install python3-doc)")
    rng = random.Random(args.seed)
    rows, labels = [], []
    for text in documents(args.docs, args.paragraphs, args.articles, rng):
        spun = spin(text, rate=round(rng.uniform(0.05, 0.6), 2), seed=rng.randrange(1 << 30))
        for sample, label in ((text, 0), (spun.text, 1)):
            findings, evidence, words = examine(sample)
            rows.append(features(findings, evidence, words))
            labels.append(label)
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    auc = cross_val_score(pipeline, rows, labels, cv=5, scoring="roc_auc")
    pipeline.fit(rows, labels)
    scaler, model = pipeline[0], pipeline[1]
    document_model = DocumentModel(
        tuple(float(x) for x in scaler.mean_),
        tuple(float(x) for x in scaler.scale_),
        tuple(float(x) for x in model.coef_[0]),
        float(model.intercept_[0]),
        f"{len(rows)} simulated documents from CPython docs ({', '.join(SECTIONS)}), "
        f"seed {args.seed}",
    )
    args.out.write_text(document_model.to_json() + "\n", encoding="utf-8")
    print(
        f"wrote {args.out}: {len(rows)} documents, "
        f"5-fold ROC AUC {auc.mean():.3f} (+/- {auc.std():.3f})"
    )


if __name__ == "__main__":
    main()
