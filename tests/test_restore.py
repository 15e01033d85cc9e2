import pytest

from spindetect.findings import Finding
from spindetect.restore import apply_findings


def _finding(text, start, end, suggestion):
    return Finding(start, end, text[start:end], suggestion, 0.9, "test")


def test_apply_changes_only_the_spans():
    text = "The protection chief met the navy chief.\n"
    findings = [_finding(text, 4, 14, "defense"), _finding(text, 29, 33, "military")]
    assert apply_findings(text, findings) == "The defense chief met the military chief.\n"


def test_apply_nothing_is_identity():
    text = "Nothing to do here, really.\r\n"
    assert apply_findings(text, []) is not None
    assert apply_findings(text, []) == text


def test_stale_finding_is_refused():
    text = "The protection chief"
    stale = Finding(4, 14, "navy ties!", "military", 0.9, "test")
    with pytest.raises(ValueError):
        apply_findings(text, [stale])
