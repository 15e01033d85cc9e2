"""The HTML report in a real browser: Debian's chromium, headless.

Skipped when chromium is not installed (``apt-get install chromium``; CI installs it when it can).
The screenshot is saved in pytest's temporary directory and its path printed (``pytest -s``).
"""

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from conftest import CLEAN_SEEDS, SPUN_SEED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium not installed (apt-get install chromium): the report is not checked in a "
    "browser; test_render_html.py still checks its markup",
)

INJECTED = '<script>document.body.setAttribute("data-pwned", "yes")</script>'
HOSTILE = (
    "Officials met in Moscow on Sunday.\n"
    f"{INJECTED}\n"
    "It was a signal of deepening ties between the 2 international locations, said the "
    "Chinese language minister, who will go to Beijing in the past week.\n"
)


class Dom(HTMLParser):
    """What the checks need from the dumped DOM."""

    def __init__(self):
        super().__init__()
        self.marks, self.details, self.scripts, self.body = [], {}, 0, {}
        self.text_divs, self._mark, self._div = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "mark" and attrs.get("class") == "spun":
            self._mark = ""
        elif tag == "div" and attrs.get("class") == "text":
            self._div = ""
        elif tag == "details":
            self.details[attrs["id"]] = "open" in attrs
        elif tag == "script":
            self.scripts += 1
        elif tag == "body":
            self.body = attrs

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.marks.append(self._mark)
            self._mark = None
        elif tag == "div" and self._div is not None:
            self.text_divs.append(self._div)
            self._div = None

    def handle_data(self, data):
        if self._mark is not None:
            self._mark += data
        if self._div is not None:
            self._div += data


def spindetect(*args):
    return subprocess.run(
        [sys.executable, "-m", "spindetect", *map(str, args)], capture_output=True, timeout=300
    )


def chromium(tmp_path, *args):
    command = [CHROMIUM, "--headless", "--disable-gpu", "--no-first-run", "--hide-scrollbars"]
    if os.geteuid() == 0:
        command.append("--no-sandbox")  # chromium refuses to run as root with its sandbox
    command += [f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    result = subprocess.run(command, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    return result.stdout.decode()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The report of the seeds plus a document with a script in it, and the scan's findings."""
    folder = tmp_path_factory.mktemp("docs")
    for path in [SPUN_SEED, *CLEAN_SEEDS]:
        shutil.copy(path, folder / path.name)
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    page = folder.parent / "report.html"
    assert spindetect("scan", folder, "--format", "html", "-o", page).returncode == 1
    scanned = json.loads(spindetect("scan", folder, "--format", "json").stdout)
    return page, {entry["path"].rsplit("/", 1)[-1]: entry for entry in scanned["files"]}


def test_highlights_and_escaping_in_the_browser(report, tmp_path):
    page, files = report
    clean_target = next(  # a clean document starts closed; the page's script opens it
        f"doc-{number}"
        for number, name in enumerate(sorted(files, key=lambda n: -files[n]["score"]), 1)
        if files[name]["verdict"] == "clean"
    )
    dom = Dom()
    dom.feed(chromium(tmp_path, "--dump-dom", f"{page.as_uri()}#{clean_target}"))
    expected = [
        f["text"]
        for name in sorted(files, key=lambda n: (-files[n]["score"], n))
        for f in sorted(files[name]["findings"], key=lambda f: f["start"])
    ]
    assert len(expected) > 30 and dom.marks == expected
    assert {"2 international locations", "Chinese language"} <= set(dom.marks)
    # The script in the document is text on the page, and it never ran.
    assert any(INJECTED in text for text in dom.text_divs)
    assert "data-pwned" not in dom.body and dom.scripts == 1
    # The page's own script did run (allowed by its hash in the CSP): it opened the target.
    assert dom.details[clean_target] is True


def test_screenshot(report, tmp_path):
    page, _ = report
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1800", page.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    print(f"\nscreenshot of the HTML report: {shot}")
