"""The HTML report: escaping, highlights, diff, summary order, empty and large reports."""

from html.parser import HTMLParser

import pytest

from conftest import CLEAN_SEEDS, SPUN_SEED
from spindetect import scan
from spindetect.findings import Finding, Report
from spindetect.render.html import OPEN_SPUN_UP_TO, HtmlReport, highlighted, side_by_side_diff
from spindetect.restore import apply_findings

HOSTILE = '<script>document.title="pwned"</script> & "quotes" \'single\' <b>bold</b>'


class Elements(HTMLParser):
    """Collects (tag, attributes, text inside) for the tags of interest."""

    def __init__(self, tags):
        super().__init__()
        self.tags, self.found, self.stack = set(tags), [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.tags:
            self.stack.append([tag, dict(attrs), ""])

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            self.found.append(tuple(self.stack.pop()))

    def handle_data(self, data):
        for item in self.stack:
            item[2] += data


def parse(page, *tags):
    parser = Elements(tags)
    parser.feed(page)
    return parser.found


@pytest.fixture(scope="module")
def seed_page():
    page = HtmlReport()
    reports = {}
    for path in [*CLEAN_SEEDS, SPUN_SEED]:
        text = path.read_text(encoding="utf-8")
        reports[str(path)] = scan(text)
        page.add(str(path), text, reports[str(path)])
    return page.render(), reports


def test_every_finding_is_highlighted_with_its_suggestion(seed_page):
    page, reports = seed_page
    findings = reports[str(SPUN_SEED)].findings
    assert len(findings) > 10
    marks = [text for tag, attrs, text in parse(page, "mark") if attrs.get("class") == "spun"]
    assert marks == [f.text for f in sorted(findings, key=lambda f: f.start)]
    suggestions = [
        text for tag, attrs, text in parse(page, "ins") if attrs.get("class") == "suggest"
    ]
    assert suggestions == [f.suggestion for f in sorted(findings, key=lambda f: f.start)]
    titles = [attrs["title"] for tag, attrs, _ in parse(page, "mark")]
    assert all(title.startswith("original: ") and " · score " in title for title in titles)


def test_summary_is_sorted_by_score_and_links_to_collapsible_documents(seed_page):
    page, reports = seed_page
    links = [attrs["href"] for tag, attrs, _ in parse(page, "a")]
    rows = [text for tag, attrs, text in parse(page, "a")]
    scores = [reports[path].score for path in rows]
    assert scores == sorted(scores, reverse=True) and rows[0] == str(SPUN_SEED)
    details = [attrs for tag, attrs, _ in parse(page, "details")]
    assert [f"#{attrs['id']}" for attrs in details] == links
    # Few documents: the spun one starts open, the clean ones closed.
    assert ["open" in attrs for attrs in details] == [True] + [False] * len(CLEAN_SEEDS)


def test_diff_shows_exactly_what_clean_changes(spun_text):
    findings = scan(spun_text).findings
    cleaned = apply_findings(spun_text, findings)
    diff = side_by_side_diff(spun_text, cleaned)
    cells = [t for tag, attrs, t in parse(diff, "td") if attrs.get("class") not in ("ln", "gap")]
    removed = "".join(text for tag, _, text in parse(diff, "del"))
    added = "".join(text for tag, _, text in parse(diff, "ins"))
    assert "international locations" in removed and "countries" in added
    assert "Putin" not in removed + added  # unchanged words are not marked
    # Rows hold changed lines only: left cells are lines of the text, right ones of the cleaned.
    left, right = cells[0::2], cells[1::2]
    assert all(line in spun_text.splitlines() for line in left if line)
    assert all(line in cleaned.splitlines() for line in right if line)


def test_all_input_is_escaped():
    text = f"Intro line.\n{HOSTILE}\nThe end."
    start = text.index("<b>")
    finding = Finding(start, start + len("<b>bold</b>"), "<b>bold</b>", '"><img src=x>', 0.9, "x")
    page = HtmlReport(title="report <i>title</i>")
    page.add('a"<path>.txt', text, Report((finding,), "spun", 0.9, 12))
    page.add_error("<script>bad()</script>: no such file or directory")
    html = page.render()
    assert "<script>document" not in html and "<script>bad" not in html
    assert "<b>bold" not in html and "<img" not in html and "<i>title" not in html
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in html
    assert "a&quot;&lt;path&gt;.txt" in html
    assert html.count("<script>") == 1  # the page's own script only
    # What a reader sees is the input text, character for character.
    texts = [t for tag, attrs, t in parse(html, "div") if attrs.get("class") == "text"]
    assert texts[0] == text.replace("<b>bold</b>", '<b>bold</b>"><img src=x>')


def test_highlight_keeps_text_outside_findings():
    text = "a < b && c > d\n"
    assert highlighted(text, []) == "<div class='text'>a &lt; b &amp;&amp; c &gt; d\n</div>"


def test_empty_report_is_a_valid_page():
    html = HtmlReport().render()
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "No documents were scanned." in html and "0 documents scanned" in html
    assert "<details" not in html and "<table class='summary'" not in html


def test_report_with_only_errors_lists_them():
    page = HtmlReport()
    page.add_error("missing.txt: no such file or directory")
    html = page.render()
    assert "Not scanned" in html and "missing.txt: no such file or directory" in html


def test_page_is_self_contained():
    text = SPUN_SEED.read_text(encoding="utf-8")
    page = HtmlReport()
    page.add("doc.txt", text, scan(text))
    html = page.render()
    for needle in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert needle not in html
    assert "default-src 'none'" in html


def test_large_report_starts_collapsed(clean_texts):
    page = HtmlReport()
    text = next(iter(clean_texts.values()))
    spun = Report((), "spun", 0.9, 10)
    for number in range(OPEN_SPUN_UP_TO + 1):
        page.add(f"doc-{number:02d}.txt", text, spun)
    html = page.render()
    details = [attrs for tag, attrs, _ in parse(html, "details")]
    assert len(details) == OPEN_SPUN_UP_TO + 1 and not any("open" in d for d in details)
