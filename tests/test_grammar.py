from spindetect.grammar import article_for, transfer_case


def test_article_for_sound_not_letter():
    assert article_for("further") == "a"
    assert article_for("extra") == "an"
    assert article_for("hour") == "an"
    assert article_for("unique") == "a"


def test_transfer_case():
    assert transfer_case("Chilly Warfare", "cold war") == "Cold War"
    assert transfer_case("PROTECTION", "defense") == "DEFENSE"
    assert transfer_case("Protection chief", "defense chief") == "Defense chief"
    assert transfer_case("navy", "military") == "military"
    assert transfer_case("Chinese language", "Chinese") == "Chinese"
