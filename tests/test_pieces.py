"""Long files piece by piece: read and decoded in blocks, scanned in pieces, reported as they go.

Every piecewise step must give exactly what the whole text gives: the decoded text and its
warnings, the pieces, the findings and their offsets, line:column, the JSON, the cleaned text.
Sizes are lowered here so that a small document spans many blocks and pieces.
"""

import io
import json
import pickle
import random
import subprocess
import sys
from contextlib import nullcontext

import pytest

import spindetect
from spindetect import api, inputs, spool
from spindetect.findings import Evidence
from spindetect.folders import clean_document, scan_file
from spindetect.inputs import InputError, decode, read_document
from spindetect.render import JsonFiles, LineCounter
from spindetect.restore import apply_findings
from spindetect.tokens import words

CHUNK = 3000  # characters a piece, instead of 200,000
BLOCK = 1000  # bytes read at a time, instead of 1 MiB


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(api, "CHUNK_CHARS", CHUNK)
    monkeypatch.setattr(inputs, "BLOCK_BYTES", BLOCK)


@pytest.fixture
def long_file(tmp_path, spun_text, clean_texts):
    """About 40 KB of spun and clean articles behind a byte-order mark, with a curly quote cut
    by a block boundary and an invalid byte at another."""
    text = "\n\n".join([spun_text, *clean_texts.values(), spun_text]) + "\n"
    data = bytearray(b"\xef\xbb\xbf" + text.encode("utf-8"))
    data[BLOCK * 3 - 1 : BLOCK * 3 - 1] = "\u2019".encode()  # bytes 2999-3001: two blocks
    data[BLOCK * 7 : BLOCK * 7 + 1] = b"\xff"  # the first byte of the eighth block
    path = tmp_path / "long.txt"
    path.write_bytes(bytes(data))
    return path


def whole_text(path):
    """The text as decoding the whole file at once gives it (the byte-order mark dropped)."""
    return path.read_bytes()[3:].decode("utf-8", errors="replace")


def test_a_file_read_in_blocks_decodes_as_a_whole(small_pieces, long_file):
    document = read_document(str(long_file))
    parts = list(document.parts())
    assert len(parts) > 30
    assert "".join(parts) == document.text == whole_text(long_file)
    held = decode(long_file.read_bytes(), str(long_file))
    assert document.warnings == held.warnings and len(document.warnings) == 1
    assert "invalid UTF-8 at byte 6997;" in document.warnings[0]  # counted after the mark
    assert document.bom == held.bom == b"\xef\xbb\xbf"


def test_decoding_in_blocks_equals_decoding_the_whole_on_random_bytes():
    rng = random.Random(7)
    alphabet = [b"a", b" ", b"\n", "\u00e9".encode(), "\u2019".encode(), "\U0001f600".encode()]
    alphabet += [b"\xff", b"\x80", b"\xe2\x80", b"\xf0\x9f", b"\xed\xa0\x80", b"\xef\xbb\xbf"]
    for _ in range(3000):
        data = b"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        cuts = sorted(rng.choices(range(len(data) + 1), k=rng.randint(0, 4)))
        blocks = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
        try:
            expected = decode(data, "x")
        except InputError as error:
            with pytest.raises(InputError, match=str(error)):
                inputs.check(blocks, "x")
            continue
        assert inputs.check(blocks, "x") == (expected.warnings, expected.bom)
        assert "".join(inputs._decoded(blocks)) == expected.text


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty input"), (b" \n\t ", "empty input"), (b"ab\x00cd" * 3000, "binary file")],
)
def test_empty_and_binary_files_are_refused_when_read_in_blocks(
    small_pieces, tmp_path, data, message
):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_document(str(path))


def test_pieces_of_parts_are_the_pieces_of_the_whole():
    rng = random.Random(3)
    words = ["word", "longerword", "\n", "\n\n", " ", "x" * 700]
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 400)))
        cuts = sorted(rng.choices(range(len(text) + 1), k=rng.randint(0, 8)))
        parts = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        size = rng.choice([50, 300, 1000])
        assert list(api.pieces(parts, size)) == list(api.chunks(text, size))


def test_a_document_scanned_from_parts_equals_the_scan_of_its_whole_text(
    monkeypatch, spun_text, clean_texts
):
    monkeypatch.setattr(api, "CHUNK_CHARS", CHUNK)
    text = "\n\n".join([spun_text, *clean_texts.values()])
    document = api.DocumentScan([text[i : i + 777] for i in range(0, len(text), 777)])
    findings = [finding for piece in document for finding in piece.findings]
    report = document.report(findings)
    assert report == spindetect.scan(text) and document.count == len(findings)
    # the verdict as computed from every piece's findings, evidence and words kept together
    detector, whole, evidence, counted = api.get_detector(), [], Evidence(), 0
    for offset, piece in api.chunks(text):
        [(found, piece_evidence, piece_words)] = detector.examine([piece])
        assert piece_words == len(words(piece))
        counted += piece_words
        whole += [
            (start + offset, end + offset, suggestion) for start, end, suggestion, *_ in found
        ]
        evidence += piece_evidence
    assert len(list(api.chunks(text))) > 5
    assert [(f.start, f.end, f.suggestion) for f in report.findings] == whole
    assert report.words == counted
    # (the findings made by following confirmed swaps are not counted: see test_consistency)
    before_swaps = len(whole) - evidence.followed
    assert report.score == detector.probability(before_swaps, evidence, counted)
    assert report.findings and report.meta["evidence"]["suspects"] == evidence.suspects


def test_a_document_is_read_only_as_far_as_its_next_piece_needs(monkeypatch, spun_text):
    monkeypatch.setattr(api, "CHUNK_CHARS", CHUNK)
    read = []

    def parts():
        for number in range(10_000):  # about 14 MB if it were read whole
            read.append(number)
            yield spun_text[: 1400 - 1] + "\n"

    scanned, end = iter(api.DocumentScan(parts())), 0
    for _ in range(3):
        piece = next(scanned)
        assert piece.offset == end and len(piece.text) <= CHUNK
        end += len(piece.text)
        assert len(read) <= end // 1400 + CHUNK // 1400 + 2  # read up to one piece ahead
    with pytest.raises(RuntimeError, match="not scanned to its end"):
        scanned_document = api.DocumentScan(iter(()))
        scanned_document.report()


def test_findings_are_applied_to_a_piece_at_its_offset(spun_text):
    report = spindetect.scan(spun_text)
    cut = spun_text.index("\n", len(spun_text) // 2) + 1
    head = [f for f in report.findings if f.end <= cut]
    tail = [f for f in report.findings if f.start >= cut]
    assert len(head) + len(tail) == len(report.findings)
    pieces = apply_findings(spun_text[:cut], head) + apply_findings(spun_text[cut:], tail, cut)
    assert pieces == apply_findings(spun_text, report.findings)


def test_line_counter_over_pieces_equals_counting_in_the_whole():
    text = "one\ntwo words\n\nthree\n" * 50 + "last line without break"
    counter = LineCounter()
    for offset, piece in api.chunks(text, size=37):
        counter.feed(offset, piece)
        for position in range(offset, offset + len(piece)):
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
            assert counter.locate(position) == (line, column)


def expected_outputs(path, report, text):
    """The reports as rendering a whole-text scan at once writes them."""
    record = {"path": path, **report.to_dict()}
    lines = []
    for finding in report.findings:
        line = text.count("\n", 0, finding.start) + 1
        column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
        lines.append(
            f"{path}:{line}:{column}: {finding.text} -> {finding.suggestion} "
            f"(score {finding.score:.2f}, {finding.source})"
        )
    count = len(report.findings)
    lines.append(
        f"{path}: {report.verdict} (score {report.score:.2f}, {count} finding"
        f"{'' if count == 1 else 's'} in {report.words} words)"
    )
    return {
        "text": "\n".join(lines),
        "jsonl": json.dumps(record, ensure_ascii=False),
        "json": json.dumps({"files": [record]}, ensure_ascii=False, indent=2),
    }


def rendered(result, output_format):
    files = JsonFiles() if output_format == "json" else None
    body = "".join(spool.output_chunks(result.output))
    return files.opening() + body + files.closing() if files else body


def test_scan_of_a_file_in_pieces_equals_the_scan_of_its_whole_text(small_pieces, long_file):
    text = whole_text(long_file)
    report = spindetect.scan(text)
    assert len(list(api.chunks(text))) > 10 and report.findings
    for finding in report.findings:
        assert text[finding.start : finding.end] == finding.text
    expected = expected_outputs(str(long_file), report, text)
    for output_format in ("text", "jsonl", "json"):
        result = scan_file(str(long_file), {}, output_format)
        assert rendered(result, output_format) == expected[output_format], output_format
        assert result.findings == len(report.findings) and result.spun == report.is_spun
    assert scan_file(str(long_file), {}, "html").output == (str(long_file), text, report)


@pytest.mark.parametrize("output_format", ["text", "json", "jsonl"])
def test_the_cli_report_of_a_file_in_pieces_is_the_whole_text_report(
    small_pieces, long_file, output_format
):
    from typer.testing import CliRunner

    from spindetect.cli import EXIT_CLEAN, EXIT_SPUN, app

    text = whole_text(long_file)
    report = spindetect.scan(text)
    expected = expected_outputs(str(long_file), report, text)[output_format]
    result = CliRunner().invoke(app, ["scan", str(long_file), "--format", output_format])
    assert result.exit_code == (EXIT_SPUN if report.is_spun else EXIT_CLEAN)
    assert result.stdout == expected + "\n"
    warning = decode(long_file.read_bytes(), str(long_file)).warnings[0]
    assert result.stderr == f"spindetect: warning: {warning}\n"
    assert "invalid UTF-8 at byte 6997; decoded with 1 replacement" in warning


def test_clean_of_a_file_in_pieces_equals_the_clean_of_its_whole_text(small_pieces, long_file):
    text = whole_text(long_file)
    written = io.BytesIO()
    count = clean_document(read_document(str(long_file)), lambda: nullcontext(written), {})
    assert count == len(spindetect.scan(text).findings) > 0
    assert written.getvalue() == b"\xef\xbb\xbf" + spindetect.clean(text).encode("utf-8")


def test_a_file_without_findings_has_an_empty_findings_list(tmp_path, clean_texts):
    path = tmp_path / "clean.txt"
    path.write_text(next(iter(clean_texts.values())), encoding="utf-8")
    report = spindetect.scan(path.read_text(encoding="utf-8"))
    assert not report.findings
    expected = expected_outputs(str(path), report, "")
    for output_format in ("jsonl", "json"):
        result = scan_file(str(path), {}, output_format)
        assert rendered(result, output_format) == expected[output_format]


def test_a_spool_moves_to_disk_reads_back_at_line_breaks_and_pickles(monkeypatch):
    monkeypatch.setattr(spool, "MEMORY_BYTES", 100)
    monkeypatch.setattr(spool, "READ_BYTES", 64)
    written = spool.Spool()
    lines = [f"line {n}: caf\u00e9 \u2019quoted\u2019 \U0001f600\n" for n in range(200)]
    for line in lines:
        written.write(line)
    assert written._file._rolled  # in a temporary file now
    copy = pickle.loads(pickle.dumps(written))
    chunks = list(written.chunks())
    assert "".join(chunks) == "".join(lines) == "".join(copy.chunks())
    assert all(chunk.endswith("\n") for chunk in chunks)


def run_clean(*args):
    command = [sys.executable, "-m", "spindetect", "clean", *map(str, args)]
    return subprocess.run(command, capture_output=True, timeout=120)


def test_clean_in_place_reads_the_whole_file_before_writing_it(small_pieces, long_file):
    from typer.testing import CliRunner

    from spindetect.cli import app

    expected = b"\xef\xbb\xbf" + spindetect.clean(whole_text(long_file)).encode("utf-8")
    result = CliRunner().invoke(app, ["clean", str(long_file), "-o", str(long_file)])
    assert result.exit_code == 0
    assert long_file.read_bytes() == expected


@pytest.mark.slow
def test_clean_creates_no_output_when_the_scan_cannot_start(tmp_path, spun_text):
    (tmp_path / "in.txt").write_text(spun_text, encoding="utf-8")
    (tmp_path / "book.tsv").write_text("only one cell\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run_clean(tmp_path / "in.txt", "-o", out, "--phrasebook", tmp_path / "book.tsv")
    assert result.returncode == 2 and b"book.tsv:1" in result.stderr
    assert not out.exists()


def test_a_file_changed_after_its_check_is_an_error_not_a_silent_other_text(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("The defense chief met the two countries.\n", encoding="utf-8")
    document = read_document(str(path))
    assert "".join(document.parts()) == path.read_text(encoding="utf-8")
    path.write_bytes(b"\x00\x01 binary now")  # replaced between the check and the scan
    with pytest.raises(InputError, match="changed since it was checked"):
        "".join(document.parts())
