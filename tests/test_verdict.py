from spindetect.findings import Finding
from spindetect.verdict import DensityRule


def _findings(count, score=0.95):
    return [Finding(i * 10, i * 10 + 4, "word", "other", score, "thesaurus") for i in range(count)]


def test_no_findings_is_clean_with_zero_score():
    assert DensityRule().verdict([], 1000) == ("clean", 0.0)


def test_one_stray_finding_never_condemns_a_document():
    verdict, _ = DensityRule().verdict(_findings(1), 100)
    assert verdict == "clean"


def test_density_decides_and_score_grows_with_it():
    rule = DensityRule()
    low = rule.score(_findings(2), 2000)
    high = rule.score(_findings(20), 2000)
    assert 0 < low < high < 1
    assert rule.verdict(_findings(2), 2000)[0] == "clean"
    assert rule.verdict(_findings(20), 2000)[0] == "spun"
