"""Candidate sources: the detector draws its candidates only from the sources it is given, and an
evaluation leaves out the sources a set was spun from."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import spindetect
from spindetect.cli import app
from spindetect.config import DetectorConfig
from spindetect.reference import ModelError
from spindetect.tools.evaluate import Pair, evaluate


def _thesaurus_findings(report) -> list:
    return [f for f in report.findings if "thesaurus" in f.source.split("+")]


def test_without_a_source_the_thesaurus_proposes_nothing(spun_text):
    with_moby = spindetect.scan(spun_text)
    without = spindetect.scan(spun_text, config=DetectorConfig(sources=()))
    assert _thesaurus_findings(with_moby), "the bundled source finds thesaurus swaps in seed 002"
    assert not _thesaurus_findings(without)
    # The phrasebook is not a candidate source: its artefacts are found either way.
    phrasebook = {(f.start, f.end) for f in with_moby.findings if f.source == "phrasebook"}
    assert phrasebook
    assert phrasebook <= {(f.start, f.end) for f in without.findings}


def test_evaluation_leaves_out_the_sources_a_set_was_spun_from(spun_text, restored_text, tmp_path):
    import gzip

    from spindetect.thesaurus import build_table
    from spindetect.tools.evaluate import fair_scanner

    # A second source of one pair, as scripts/build_candidates.py would write it.
    source = tmp_path / "tiny.tsv.gz"
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        handle.write("mentioned\tsaid\t1.0\n")
    tiny = tmp_path / "tiny.table"
    build_table(source, tiny)
    both = DetectorConfig(sources=("moby", str(tiny)))
    pair = Pair("002", spun_text, restored_text)
    spun_from_moby = Pair("002", spun_text, restored_text, exclude_sources=("moby",))
    fair = evaluate([pair], fair_scanner(pair, config=both))
    excluded = evaluate([spun_from_moby], fair_scanner(spun_from_moby, config=both))
    assert fair.findings > excluded.findings
    alone = spindetect.scan(spun_text, config=DetectorConfig(sources=(str(tiny),)))
    assert excluded.findings == len(alone.findings)


def test_a_table_path_is_a_source_of_its_own(spun_text):
    from spindetect.data import data_path

    as_path = DetectorConfig(sources=(str(data_path("thesaurus.table")),))
    assert spindetect.scan(spun_text, config=as_path) == spindetect.scan(spun_text)


def test_unknown_and_unbuilt_sources_are_each_one_clear_error(spun_text, monkeypatch, tmp_path):
    with pytest.raises(ModelError, match="unknown candidate source 'nosuch'"):
        spindetect.scan(spun_text, config=DetectorConfig(sources=("nosuch",)))
    monkeypatch.setattr("spindetect.data.BUILT_FOLDER", tmp_path)
    with pytest.raises(ModelError, match=r"build_candidates\.py --only glove"):
        spindetect.scan(spun_text, config=DetectorConfig(sources=("moby", "glove")))


def test_sources_are_a_sequence_of_names():
    assert DetectorConfig(sources=["moby"]).sources == ("moby",)
    with pytest.raises(TypeError, match="sequence of names"):
        DetectorConfig(sources="moby")


@pytest.mark.parametrize("sources", ["moby,nosuch", " , "])
def test_eval_command_names_a_bad_source_list_in_one_line(
    tmp_path, spun_text, restored_text, sources
):
    (tmp_path / "002.spun.txt").write_text(spun_text, encoding="utf-8")
    (tmp_path / "002.orig.txt").write_text(restored_text, encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--sources", sources])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "source" in lines[0] and "Traceback" not in result.stderr


def test_sources_may_be_paths_and_a_list_is_read_once():
    from pathlib import Path

    from spindetect.data import data_path

    table = Path(data_path("thesaurus.table"))
    assert DetectorConfig(sources=[table]).sources == (str(table),)
    assert DetectorConfig(sources=(name for name in ["moby"])).sources == ("moby",)


def test_a_set_measured_without_any_source_it_may_use_is_an_error(spun_text, restored_text):
    from spindetect.tools.evaluate import PairsError, fair_scanner

    pair = Pair("002", spun_text, restored_text, exclude_sources=("moby",))
    with pytest.raises(PairsError, match="every candidate source"):
        fair_scanner(pair, config=DetectorConfig(sources=("moby",)))
    # A table named by its path is left out by its name too.
    from spindetect.data import data_path

    moby = str(data_path("thesaurus.table")).replace("thesaurus.table", "moby.table")
    with pytest.raises(PairsError):
        fair_scanner(pair, config=DetectorConfig(sources=(moby,)))
