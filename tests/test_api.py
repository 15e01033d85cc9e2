"""End-to-end behaviour of the library calls on the seed articles and on ordinary English."""

import subprocess
import sys

import pytest

import spindetect
from spindetect.tokens import words

EXPECTED_RESTORATIONS = [
    ("2 international locations", "two countries"),
    ("go to", "visit"),
]


@pytest.fixture(scope="module")
def spun_report(spun_text):
    return spindetect.scan(spun_text)


def test_import_loads_no_model_and_no_dependency():
    """``import spindetect`` imports the package alone: not the compiled core, not the API,
    not pocketsphinx or numpy (a fresh interpreter, so earlier tests cannot hide it)."""
    code = (
        "import sys, spindetect\n"
        "roots = ('spindetect', 'pocketsphinx', 'numpy', 'sklearn', 'typer')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in roots))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['spindetect']"]
    assert callable(spindetect.scan) and callable(spindetect.scan_many)


def test_spun_seed_is_judged_spun(spun_report, clean_texts):
    assert spun_report.verdict == "spun"
    assert spun_report.is_spun
    clean_scores = [spindetect.scan(text).score for text in clean_texts.values()]
    assert spun_report.score - max(clean_scores) >= 0.5  # far apart, not merely ordered


def test_offsets_slice_back_to_the_reported_text(spun_text, spun_report):
    assert spun_report.findings
    for finding in spun_report.findings:
        assert spun_text[finding.start : finding.end] == finding.text
        assert 0.0 <= finding.score <= 1.0
        assert finding.reason


@pytest.mark.parametrize(("spun", "original"), EXPECTED_RESTORATIONS)
def test_spinner_artefacts_are_found_with_their_originals(spun_report, spun, original):
    pairs = {(f.text, f.suggestion) for f in spun_report.findings}
    assert (spun, original) in pairs


NOT_YET = pytest.mark.xfail(
    strict=True,
    reason=(
        "issue 2: the reference gives too little evidence at each place to single out this "
        "original (see README, Limits)"
    ),
)


def _count(phrase, text):
    import re

    return len(re.findall(rf"(?<![\w-]){re.escape(phrase)}(?!\w)", text))


@pytest.mark.parametrize(
    "restored",
    [
        "Cold War",
        "two countries",
        "three-day visit",
        pytest.param("Chinese defense minister", marks=NOT_YET),
        pytest.param("defense chief", marks=NOT_YET),
        pytest.param("military ties", marks=NOT_YET),
        pytest.param("first Chinese defense minister", marks=NOT_YET),
        "he said",
    ],
)
def test_clean_restores_the_seed_phrases(spun_text, restored):
    """Each phrase the issue lists occurs more often (as whole words) after cleaning."""
    assert _count(restored, spindetect.clean(spun_text)) > _count(restored, spun_text)


def _changed_spans(spun, original):
    """Character spans of the spun text's words that the original does not have (aligned)."""
    import difflib

    from spindetect.tokens import Kind, tokenize

    spun_words = [t for t in tokenize(spun) if t.kind is Kind.WORD]
    matcher = difflib.SequenceMatcher(
        a=[t.lower for t in spun_words], b=words(original), autojunk=False
    )
    return [
        (spun_words[i1].start, spun_words[i2 - 1].end)
        for tag, i1, i2, _, _ in matcher.get_opcodes()
        if tag in ("replace", "delete")
    ]


def test_findings_are_real_spun_phrases(spun_text, restored_text, spun_report):
    """Precision against the hand restoration: at least 90% of findings cover a changed word."""
    changed = _changed_spans(spun_text, restored_text)
    real = [
        f
        for f in spun_report.findings
        if any(start < f.end and f.start < end for start, end in changed)
    ]
    assert len(real) >= 0.9 * len(spun_report.findings)
    assert len(real) >= 25


def test_clean_moves_the_spun_seed_towards_the_original(spun_text, restored_text):
    import difflib

    def distance(a, b):
        matcher = difflib.SequenceMatcher(a=words(a), b=words(b), autojunk=False)
        return sum(
            max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
        )

    before = distance(spun_text, restored_text)
    after = distance(spindetect.clean(spun_text), restored_text)
    # Measured: 314 -> 253 word edits (19% recovered); most spun words are not yet restored.
    assert after <= 0.85 * before


def test_clean_seeds_are_judged_clean_with_at_most_one_finding_per_1000_words(clean_texts):
    for name, text in clean_texts.items():
        report = spindetect.scan(text)
        assert report.verdict == "clean", name
        assert len(report.findings) <= max(1, report.words // 1000), (name, report.findings)


def test_clean_changes_at_most_the_reported_spans(clean_texts):
    for text in clean_texts.values():
        report = spindetect.scan(text)
        cleaned = spindetect.clean(text)
        if not report.findings:
            assert cleaned == text
        else:
            assert len(cleaned) - len(text) < 50


@pytest.mark.parametrize(
    "sentence",
    [
        "The government said on Monday that it would review the policy.",
        "Prices rose sharply in the past month, the report found.",
        "The mission is focused on the protection of civilians in the region.",
        "She has been a fervent supporter of the plan since it was announced.",
        "In the past, the two countries held talks every year.",
    ],
)
def test_ordinary_english_is_left_alone(sentence):
    report = spindetect.scan(sentence)
    assert report.findings == ()
    assert spindetect.clean(sentence) == sentence
    assert not spindetect.is_spun(sentence)


def test_threshold_option_trades_findings(spun_text):
    strict = spindetect.scan(spun_text, threshold=0.99)
    loose = spindetect.scan(spun_text, threshold=0.5)
    assert len(strict.findings) < len(loose.findings)
    with pytest.raises(ValueError):
        spindetect.scan(spun_text, threshold=1.5)


def test_articles_follow_the_restored_word(tmp_path):
    book = tmp_path / "book.tsv"
    book.write_text(
        "additional signal\tfurther sign\talways\ttest pair\n"
        "extra helping\tanother helping\talways\ttest pair\n",
        encoding="utf-8",
    )
    text = "It was an additional signal of trouble. She took an extra helping."
    report = spindetect.scan(text, phrasebooks=[book])
    assert [(f.text, f.suggestion) for f in report.findings] == [
        ("an additional signal", "a further sign"),
        ("an extra helping", "another helping"),
    ]
    assert spindetect.clean(text, phrasebooks=[book]) == (
        "It was a further sign of trouble. She took another helping."
    )


def test_empty_and_wordless_text():
    for text in ("", "   \n", "12,000 -- 3.5%"):
        report = spindetect.scan(text)
        assert report.findings == () and report.verdict == "clean"
        assert spindetect.clean(text) == text


def test_long_documents_are_scanned_in_pieces_with_offsets_into_the_whole(spun_text):
    from spindetect import api

    long_text = (spun_text + "\n") * 3
    report = spindetect.scan(long_text)
    pieces = list(api.chunks(long_text, size=5000))
    assert "".join(piece for _, piece in pieces) == long_text
    assert all(offset + len(piece) <= len(long_text) for offset, piece in pieces)
    for finding in report.findings:
        assert long_text[finding.start : finding.end] == finding.text


def test_chunks_never_cut_inside_a_word():
    from spindetect import api

    text = "a" * 12_000 + " " + "b" * 50
    pieces = list(api.chunks(text, size=5000))
    assert "".join(piece for _, piece in pieces) == text
    assert all(piece.rstrip(" ").strip("ab") == "" for _, piece in pieces)
    assert pieces[0][1] == "a" * 12_000 + " "


def test_an_edited_phrasebook_is_read_again(tmp_path):
    """The detector cache is keyed by the file's version, not only its path."""
    book = tmp_path / "book.tsv"
    text = "The committee met on Monday to discuss the budget."
    book.write_text("committee\tboard\talways\ttest pair\n", encoding="utf-8")
    first = spindetect.scan(text, phrasebooks=[book])
    assert [f.suggestion for f in first.findings] == ["board"]
    book.write_text("committee\tpanel\talways\tedited pair, longer line\n", encoding="utf-8")
    second = spindetect.scan(text, phrasebooks=[book])
    assert [f.suggestion for f in second.findings] == ["panel"]
