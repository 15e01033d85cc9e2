"""``spindetect scan --format html``: one self-contained page a person can read.

The page holds a summary table of every document, highest score first, then one collapsible
section a document (same order) with its verdict, its text with each spun phrase highlighted and
the suggested original beside it (the score, source and reason on hover), and a side-by-side
diff of the changed lines between the text as scanned and the cleaned text (the same findings
applied by :func:`spindetect.restore.apply_findings`).

Everything taken from the input (paths, text, suggestions, reasons) is escaped.  The page loads
nothing: its style and its small script are inline, and a Content-Security-Policy forbids any
other script or any network request, so even a mistake in escaping could not run input.
Documents are rendered when added, so a report keeps only markup, not the texts and reports.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape

import regex

from .. import __version__
from ..align import align
from ..findings import Finding, Report
from ..restore import apply_findings

OPEN_SPUN_UP_TO = 20  # documents judged spun start open when the report has at most this many
_DIFF_TOKEN = regex.compile(r"\w+|\s+|[^\w\s]")

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;
color:#1d1d1f;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.meta{color:#555;margin:.2rem 0 1rem}
table.summary{border-collapse:collapse;width:100%;font-size:.9rem}
table.summary th,table.summary td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left}
table.summary th{cursor:pointer;background:#f4f4f6;position:sticky;top:0}
table.summary td.n{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;border-radius:.6rem;padding:0 .5rem;font-size:.85rem;color:#fff}
.verdict.spun{background:#b3261e}.verdict.clean{background:#2e7d32}
details.doc{border:1px solid #ccc;border-radius:.4rem;margin:.5rem 0;padding:.2rem .8rem}
details.doc>summary{cursor:pointer;padding:.3rem 0;font-weight:600}
details.doc>summary .path{font-family:ui-monospace,monospace;font-weight:400}
.text{white-space:pre-wrap;font-family:Georgia,serif;line-height:1.6;background:#fafafa;
padding:.6rem .8rem;border-radius:.3rem;max-height:40rem;overflow:auto}
mark.spun{background:#ffd7d5;border-bottom:2px solid #b3261e;padding:0 .1rem}
.suggest{color:#1b5e20;background:#dff3e0;font-size:.85em;padding:0 .25rem;margin-left:.15rem;
border-radius:.2rem;text-decoration:none}
.suggest::before{content:"\\2192\\00a0"}
table.diff{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.9rem}
table.diff td{vertical-align:top;padding:.2rem .4rem;border-top:1px solid #eee;white-space:pre-wrap;
word-wrap:break-word}
table.diff col.ln{width:3.5rem}
table.diff td.ln{color:#888;text-align:right;font-variant-numeric:tabular-nums}
table.diff td.gap{color:#888;font-style:italic;background:#f7f7f7}
del{background:#ffd7d5;text-decoration:line-through}ins{background:#c8f0cb;text-decoration:none}
.errors li{font-family:ui-monospace,monospace}
.empty{color:#555;font-style:italic}
button{font:inherit;font-size:.85rem;margin-right:.4rem}
"""

# Opens a document reached through a link to it; sorts the summary table by a clicked column;
# expands or collapses every document.  The page is complete without it.
_SCRIPT = """
function openTarget(){var e=location.hash&&document.getElementById(location.hash.slice(1));
if(e&&e.tagName==='DETAILS'){e.open=true;e.scrollIntoView();}}
window.addEventListener('hashchange',openTarget);openTarget();
document.querySelectorAll('table.summary th').forEach(function(th,col){
th.addEventListener('click',function(){var body=th.closest('table').tBodies[0];
var rows=Array.from(body.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
rows.sort(function(a,b){var x=a.cells[col].dataset.v||a.cells[col].textContent,
y=b.cells[col].dataset.v||b.cells[col].textContent,nx=parseFloat(x),ny=parseFloat(y);
var c=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny;return asc?c:-c;});
rows.forEach(function(r){body.appendChild(r);});});});
document.querySelectorAll('button[data-open]').forEach(function(b){
b.addEventListener('click',function(){var v=b.dataset.open==='1';
document.querySelectorAll('details.doc').forEach(function(d){d.open=v;});});});
"""


@dataclass(frozen=True)
class _Section:
    """One document's row data and its rendered section (the HTML without its number)."""

    path: str
    verdict: str
    score: float
    words: int
    findings: int
    body: str


class HtmlReport:
    """Collects scanned documents and renders the page: ``add`` each, then ``render``."""

    def __init__(self, title: str = "spindetect report") -> None:
        self.title = title
        self._sections: list[_Section] = []
        self._errors: list[str] = []

    def add(self, path: str, text: str, report: Report) -> None:
        """Render one scanned document now; only its markup is kept."""
        body = document_body(text, report.findings)
        self._sections.append(
            _Section(path, report.verdict, report.score, report.words, len(report.findings), body)
        )

    def add_error(self, message: str) -> None:
        """List an input that could not be scanned (shown under the summary)."""
        self._errors.append(message)

    def render(self) -> str:
        """The whole page as one string."""
        return "".join(self.chunks())

    def chunks(self) -> Iterator[str]:
        """The page in pieces, for writing a large report without joining it first."""
        ordered = sorted(self._sections, key=lambda s: (-s.score, s.path))
        script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
        yield (
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
            f"style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'\">"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>{escape(self.title)}</title><style>{_STYLE}</style></head><body>\n"
            f"<h1>{escape(self.title)}</h1>\n"
        )
        yield _overview(ordered, self._errors)
        yield _summary_table(ordered)
        if self._errors:
            items = "".join(f"<li>{escape(message)}</li>" for message in self._errors)
            yield f"<h2>Not scanned</h2><ul class='errors'>{items}</ul>\n"
        if ordered:
            yield (
                "<h2>Documents</h2><p><button type='button' data-open='1'>Expand all</button>"
                "<button type='button' data-open='0'>Collapse all</button></p>\n"
            )
        open_spun = len(ordered) <= OPEN_SPUN_UP_TO
        for number, section in enumerate(ordered, 1):
            yield _section_html(number, section, open_spun and section.verdict == "spun")
        yield f"<script>{_SCRIPT}</script></body></html>\n"


def _overview(sections: Sequence[_Section], errors: Sequence[str]) -> str:
    spun = sum(1 for s in sections if s.verdict == "spun")
    findings = sum(s.findings for s in sections)
    words = sum(s.words for s in sections)
    parts = [
        f"{len(sections)} document{'' if len(sections) == 1 else 's'} scanned",
        f"{spun} judged spun",
        f"{findings} finding{'' if findings == 1 else 's'} in {words:,} words",
    ]
    if errors:
        parts.append(f"{len(errors)} not scanned")
    return f"<p class='meta'>{' · '.join(parts)} · spindetect {escape(__version__)}</p>\n"


def _summary_table(sections: Sequence[_Section]) -> str:
    if not sections:
        return "<p class='empty'>No documents were scanned.</p>\n"
    rows = []
    for number, s in enumerate(sections, 1):
        density = 1000 * s.findings / s.words if s.words else 0.0
        rows.append(
            f"<tr><td class='n'>{number}</td>"
            f"<td><a href='#doc-{number}'>{escape(s.path)}</a></td>"
            f"<td><span class='verdict {s.verdict}'>{s.verdict}</span></td>"
            f"<td class='n'>{s.score:.2f}</td><td class='n'>{s.findings}</td>"
            f"<td class='n' data-v='{s.words}'>{s.words:,}</td>"
            f"<td class='n'>{density:.1f}</td></tr>"
        )
    return (
        "<h2>Summary</h2><table class='summary'><thead><tr><th>#</th><th>document</th>"
        "<th>verdict</th><th>score</th><th>findings</th><th>words</th>"
        "<th>findings / 1,000 words</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n"
    )


def _section_html(number: int, section: _Section, is_open: bool) -> str:
    count = section.findings
    return (
        f"<details class='doc' id='doc-{number}'{' open' if is_open else ''}><summary>"
        f"{number}. <span class='path'>{escape(section.path)}</span> "
        f"<span class='verdict {section.verdict}'>{section.verdict}</span> "
        f"score {section.score:.2f} · {count} finding{'' if count == 1 else 's'} in "
        f"{section.words:,} words</summary>\n{section.body}</details>\n"
    )


def document_body(text: str, findings: Sequence[Finding]) -> str:
    """A document's highlighted text and its diff against the cleaned text, as HTML."""
    cleaned = apply_findings(text, findings)
    parts = ["<h3>Text, spun phrases highlighted</h3>", highlighted(text, findings)]
    if cleaned != text:
        parts.append("<h3>Changed lines: as scanned | cleaned</h3>")
        parts.append(side_by_side_diff(text, cleaned))
    elif findings and not any(finding.restore for finding in findings):
        parts.append(
            "<p class='empty'>Every finding is left as written (its originals are too close to"
            " choose): the cleaned text is the text.</p>"
        )
    else:
        parts.append("<p class='empty'>Nothing flagged: the cleaned text is the text.</p>")
    return "\n".join(parts) + "\n"


def highlighted(text: str, findings: Sequence[Finding]) -> str:
    """The text with each finding marked and its suggestion beside it; score and reason on hover."""
    pieces = ["<div class='text'>"]
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.start):
        pieces.append(escape(text[cursor : finding.start]))
        hover = f"original: {finding.suggestion} · score {finding.score:.2f} · {finding.source}"
        if finding.alternatives:
            hover += " · also possible: " + ", ".join(finding.alternatives)
        if not finding.restore:
            hover += " · left as written when cleaned"
        if finding.reason:
            hover += f" · {finding.reason}"
        spun = escape(text[finding.start : finding.end])
        pieces.append(
            f"<mark class='spun' title='{escape(hover)}'>{spun}</mark>"
            f"<ins class='suggest'>{escape(finding.shown_suggestion)}</ins>"
        )
        cursor = finding.end
    pieces.append(escape(text[cursor:]))
    pieces.append("</div>")
    return "".join(pieces)


def side_by_side_diff(before: str, after: str) -> str:
    """Changed lines of ``before`` and ``after`` side by side, words marked; others collapsed."""
    left, right = before.splitlines(), after.splitlines()
    rows = []
    for tag, a0, a1, b0, b1 in align(left, right):
        if tag == "equal":
            rows.append(f"<tr><td class='gap' colspan='4'>{a1 - a0} unchanged line(s)</td></tr>")
            continue
        for offset in range(max(a1 - a0, b1 - b0)):
            i, j = a0 + offset, b0 + offset
            old = left[i] if i < a1 else None
            new = right[j] if j < b1 else None
            old_html, new_html = _word_diff(old or "", new or "")
            rows.append(
                f"<tr><td class='ln'>{i + 1 if old is not None else ''}</td><td>{old_html}</td>"
                f"<td class='ln'>{j + 1 if new is not None else ''}</td><td>{new_html}</td></tr>"
            )
    return (
        "<table class='diff'><colgroup><col class='ln'><col><col class='ln'><col></colgroup>"
        + "".join(rows)
        + "</table>"
    )


def _word_diff(old: str, new: str) -> tuple[str, str]:
    """Both lines as HTML with the differing tokens in ``<del>`` and ``<ins>``."""
    a, b = _DIFF_TOKEN.findall(old), _DIFF_TOKEN.findall(new)
    left, right = [], []
    for tag, a0, a1, b0, b1 in align(a, b):
        old_part, new_part = escape("".join(a[a0:a1])), escape("".join(b[b0:b1]))
        if tag == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<del>{old_part}</del>")
        if new_part:
            right.append(f"<ins>{new_part}</ins>")
    return "".join(left), "".join(right)
