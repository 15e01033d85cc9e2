"""The reference judges a word in its sentence: a phrasebook ``context`` entry is flagged only
where the reference prefers the original there.  The likelihood gains themselves (windows,
sentence breaks, unknown words, the chain rule) are tested in the core
(``rust/engine/tests/stage_score.rs``; the reference's answers against recorded values in
``reference_parity.rs``)."""

from pathlib import Path

import spindetect
from spindetect.config import DetectorConfig

# No thesaurus candidates: only the phrasebook entries speak.
PHRASEBOOK_ONLY = DetectorConfig(max_candidates=0, pair_candidates=0)


def _findings(tmp_path: Path, rows: str, text: str) -> list[tuple[str, str, float]]:
    book = tmp_path / "context.tsv"
    book.write_text(rows, encoding="utf-8")
    report = spindetect.scan(text, phrasebooks=[book], threshold=0.0, config=PHRASEBOOK_ONLY)
    return [(f.text, f.suggestion, f.score) for f in report.findings]


def test_a_context_entry_fires_where_the_original_fits_and_not_elsewhere(tmp_path):
    rows = "protection\tdefense\tcontext\ttest\n"
    [(text, suggestion, fits)] = _findings(tmp_path, rows, "Putin met the protection chief.")
    assert (text, suggestion) == ("protection", "defense") and fits >= 0.95
    [(_, _, misfit)] = _findings(tmp_path, rows, "The mission ensures the protection of civilians.")
    assert misfit < 0.1


def test_sentence_breaks_bound_the_context(tmp_path):
    rows = "protection\tdefense\tcontext\ttest\n"
    [(_, _, misfit)] = _findings(tmp_path, rows, "We need protection. Chief among them is food.")
    assert misfit < 0.5


def test_a_replacement_is_seen_by_the_scoring_of_its_neighbour(tmp_path):
    """With "warfare" -> "war" in place, "chilly" -> "cold" gains more: the two are one
    finding, more certain than "chilly" alone."""
    rows = "chilly\tcold\tcontext\ttest\nwarfare\twar\tcontext\ttest\n"
    [(text, suggestion, together)] = _findings(tmp_path, rows, "beyond the chilly warfare era")
    assert (text, suggestion) == ("chilly warfare", "cold war")
    [(_, _, alone)] = _findings(tmp_path, rows, "beyond the chilly era")
    assert together > alone
    cleaned = spindetect.clean(
        "It goes beyond the Chilly Warfare era.",
        phrasebooks=[tmp_path / "context.tsv"],
        config=PHRASEBOOK_ONLY,
    )
    assert cleaned == "It goes beyond the Cold War era."
