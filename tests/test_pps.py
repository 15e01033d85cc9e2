"""Problematic Paper Screener exports: reading, errors, and a tortured abstract end to end."""

import hashlib
import json

import pytest
from typer.testing import CliRunner

import spindetect
from spindetect.cli import app
from spindetect.phrasebook import Phrasebook, PhrasebookError
from spindetect.pps import read_pps

HEADER = '"Fingerprint - Tortured Phrase","Expected Text","Nb Retrieved Papers"\n'
# Known tortured phrases (published examples, Cabanac, Labbé & Magazinov 2021), as an export
# would hold them: quoted and unquoted cells, and queries with their own quotes.
KNOWN = (
    HEADER
    + '"profound learning","deep learning","1134"\n'
    + '"""counterfeit consciousness""","artificial intelligence",812\n'
    + "irregular timberland,random forest,87\n"
    + '"""flag to clamor""","signal to noise",40\n'
    + '"""bolster vector machine"" AND classifier","support vector machine",33\n'
    + '"""colossal information"" NOT colossus","big data",21\n'
    + '"""choice tree"" AND ""irregular timberland""","decision tree",9\n'
)
TORTURED = (
    "Counterfeit consciousness is changing how hospitals read medical scans. We propose a "
    "profound learning pipeline that feeds colossal information from imaging archives to an "
    "irregular timberland, and we compare it with a bolster vector machine classifier and a "
    "single choice tree. Because the flag to clamor ratio of older scans is low, every image "
    "is filtered first. On 2,000 held-out scans the pipeline is more accurate than each "
    "baseline, and it explains its decisions to clinicians."
)
ORIGINAL = (
    "Artificial intelligence is changing how hospitals read medical scans. We propose a "
    "deep learning pipeline that feeds big data from imaging archives to a "
    "random forest, and we compare it with a support vector machine classifier and a "
    "single decision tree. Because the signal to noise ratio of older scans is low, every image "
    "is filtered first. On 2,000 held-out scans the pipeline is more accurate than each "
    "baseline, and it explains its decisions to clinicians."
)


@pytest.fixture()
def pps_file(tmp_path):
    path = tmp_path / "pps.csv"
    path.write_text(KNOWN, encoding="utf-8")
    return path


def test_quoted_and_unquoted_cells(pps_file):
    imported = read_pps(pps_file)
    assert imported.rows == 7
    pairs = {(str(e.query) if e.query else e.spun, e.original) for e in imported.entries}
    assert ("profound learning", "deep learning") in pairs
    assert ("irregular timberland", "random forest") in pairs  # unquoted cells
    assert ("counterfeit consciousness", "artificial intelligence") in pairs  # query quotes
    assert ('"bolster vector machine" AND "classifier"', "support vector machine") in pairs
    assert imported.sha256 == hashlib.sha256(pps_file.read_bytes()).hexdigest()
    assert dict(imported.kinds) == {"plain": 4, "AND": 2, "NOT": 1}


def test_header_is_optional_for_a_csv_and_duplicates_are_counted(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text('profound learning,deep learning,5\n"profound learning",deep learning,5\n')
    imported = read_pps(path)
    assert (imported.rows, len(imported.entries), imported.duplicates) == (2, 1, 1)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('"profound learning","deep learning","many"\n', r"row 3: paper count 'many'"),
        ('"""profound learning","deep learning",3\n', r"row 3: fingerprint .*unbalanced"),
        ('"profound learning"\n', r"row 3: expected 'fingerprint,expected text"),
        (',"deep learning",3\n', r"row 3: empty fingerprint"),
        ('"profound learning,"deep learning",3\n', r"row 3 .*malformed CSV"),
    ],
)
def test_malformed_file_names_the_row(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + '"irregular timberland","random forest",87\n' + body)
    with pytest.raises(PhrasebookError, match=message):
        read_pps(path)
    with pytest.raises(PhrasebookError, match=message):
        Phrasebook.from_file(path)


def test_tortured_abstract_all_pairs_found_and_restored(pps_file):
    report = spindetect.scan(TORTURED, phrasebooks=[pps_file])
    found = {(f.text.lower(), f.suggestion.lower()) for f in report.findings}
    for spun, original in [
        ("counterfeit consciousness", "artificial intelligence"),
        ("profound learning", "deep learning"),
        ("colossal information", "big data"),
        ("an irregular timberland", "a random forest"),
        ("bolster vector machine", "support vector machine"),
        ("choice tree", "decision tree"),
        ("flag to clamor", "signal to noise"),
    ]:
        assert (spun, original) in found
    assert all(f.source == f"pps:{pps_file.name}" for f in report.findings)
    assert report.is_spun
    assert spindetect.clean(TORTURED, phrasebooks=[pps_file]) == ORIGINAL
    assert report.meta["phrasebooks"] == [
        {
            "path": str(pps_file),
            "format": "pps-csv",
            "sha256": hashlib.sha256(pps_file.read_bytes()).hexdigest(),
            "rows": 7,
        }
    ]


def test_clean_abstract_on_the_same_topic_has_no_finding(pps_file):
    report = spindetect.scan(ORIGINAL, phrasebooks=[pps_file])
    assert report.findings == ()
    assert not report.is_spun


def test_conditions_decide_on_the_document(pps_file):
    # No "classifier", a "colossus" and no "irregular timberland": those three stay quiet.
    text = (
        "A bolster vector machine and a choice tree ran on colossal information from the "
        "Colossus archive, tuned with profound learning."
    )
    report = spindetect.scan(text, phrasebooks=[pps_file])
    found = [f.text for f in report.findings if f.source == f"pps:{pps_file.name}"]
    assert found == ["profound learning"]


def test_cli_import_summarises_and_writes_a_normalised_copy(pps_file, tmp_path):
    out = tmp_path / "normalised.csv"
    result = CliRunner().invoke(app, ["phrases", "import", str(pps_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "7 rows, 7 fingerprints (2 AND, 1 NOT, 4 plain)" in result.output
    assert hashlib.sha256(pps_file.read_bytes()).hexdigest() in result.output
    assert read_pps(out).records == read_pps(pps_file).records
    assert out.read_text().splitlines()[5] == (
        '"""bolster vector machine"" AND ""classifier""","support vector machine","33"'
    )


def test_cli_scan_records_the_list_in_json(pps_file, tmp_path):
    document = tmp_path / "abstract.txt"
    document.write_text(TORTURED, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["scan", "--phrasebook", str(pps_file), "--format", "jsonl", str(document)]
    )
    record = json.loads(result.output)
    assert record["phrasebooks"][0]["rows"] == 7
    assert record["phrasebooks"][0]["sha256"] == hashlib.sha256(pps_file.read_bytes()).hexdigest()


def test_cli_malformed_list_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + '"a",b,c,\n')
    result = CliRunner().invoke(app, ["phrases", "import", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"spindetect: error: {path}: row 2: paper count 'c' is not a whole number"
    ]
