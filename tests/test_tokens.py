from spindetect.tokens import Kind, normalize, tokenize, words


def test_offsets_slice_back_on_real_text(spun_text):
    for token in tokenize(spun_text):
        assert spun_text[token.start : token.end] == token.text


def test_curly_apostrophe_possessive_is_one_word_with_straight_key():
    (token,) = [t for t in tokenize("met with China’s chief") if t.text.startswith("China")]
    assert token.text == "China’s"
    assert token.lower == "china's"


def test_hyphenated_words_expose_their_parts():
    tokens = tokenize("Chinese language-made dual-use parts")
    assert [t.lower for t in tokens if t.kind is Kind.WORD] == [
        "chinese",
        "language",
        "made",
        "dual",
        "use",
        "parts",
    ]
    assert [t.kind for t in tokens].count(Kind.HYPHEN) == 2


def test_urls_emails_numbers_are_single_untouchable_tokens():
    text = "Write to tips@newsweek.com or see https://example.org/a?b=1. It cost 12,000 dollars."
    kinds = {t.text: t.kind for t in tokenize(text)}
    assert kinds["tips@newsweek.com"] is Kind.EMAIL
    assert kinds["https://example.org/a?b=1"] is Kind.URL
    assert kinds["12,000"] is Kind.NUMBER


def test_sentence_marks_and_dashes_are_breaks_but_commas_are_not():
    kinds = [t.kind for t in tokenize("Yes, it works — really. Done")]
    assert kinds.count(Kind.BREAK) == 2
    assert Kind.OTHER in kinds


def test_closing_quote_apostrophe_is_not_part_of_the_word():
    tokens = tokenize("the fighters’ rights")
    assert [t.text for t in tokens] == ["the", "fighters", "’", "rights"]


def test_abbreviation_keeps_its_periods():
    assert "u.s." in words("The U.S. government said")


def test_normalize():
    assert normalize("DON’T") == "don't"
