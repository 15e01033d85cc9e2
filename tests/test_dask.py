"""spindetect.dask on a two-worker dask.distributed LocalCluster equals the one-process result."""

import pytest

pytestmark = pytest.mark.slow  # a dask cluster starts in seconds

pytest.importorskip("dask.dataframe", reason="needs the dask extra: pip install spindetect[dask]")
distributed = pytest.importorskip("distributed", reason="needs the dask extra")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402

import spindetect  # noqa: E402
import spindetect.dask as sd  # noqa: E402
from conftest import CLEAN_SEEDS, SPUN_SEED  # noqa: E402
from spindetect.jsonfilter import tag  # noqa: E402

TEXTS = [
    CLEAN_SEEDS[0].read_text(encoding="utf-8"),
    SPUN_SEED.read_text(encoding="utf-8"),
    "It was the primary Chinese language protection minister to go to the 2 international "
    "locations.",
    CLEAN_SEEDS[1].read_text(encoding="utf-8"),
    "Rain is expected in the capital on Sunday.",
    CLEAN_SEEDS[2].read_text(encoding="utf-8"),
]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def test_bag_of_texts_tags_equal_the_single_process_result(client):
    expected = [tag(spindetect.scan(text, threshold=0.9)) for text in TEXTS]
    assert [t["verdict"] for t in expected] == ["clean", "spun", "spun", "clean", "clean", "clean"]
    bag = db.from_sequence(TEXTS, npartitions=3)
    assert sd.tag(bag, threshold=0.9).compute() == expected
    assert sd.drop_spun(bag).compute() == [t for t in TEXTS if not spindetect.is_spun(t)]
    # models are built once per worker and configuration (default, threshold 0.9), not per task
    misses = client.run(lambda: spindetect.api._detector.cache_info().misses)
    assert len(misses) == 2 and max(misses.values()) <= 2 and sum(misses.values()) >= 2


def test_bag_of_records_and_dataframe_equal_the_single_process_result(client):
    records = [{"id": n, "body": {"text": text}} for n, text in enumerate(TEXTS)]
    records.append({"id": 99, "body": {}})  # no text: kept, with no verdict
    tagged = sd.tag(db.from_sequence(records, npartitions=3), field="body.text").compute()
    assert [r["id"] for r in tagged] == [*range(len(TEXTS)), 99]
    assert [r["spindetect"] for r in tagged[:-1]] == [tag(spindetect.scan(t)) for t in TEXTS]
    assert tagged[-1]["spindetect"] == {"verdict": None, "error": "no field 'body.text'"}

    frame = pd.DataFrame({"id": range(len(TEXTS) + 1), "text": [*TEXTS, None]})
    result = sd.tag(dd.from_pandas(frame, npartitions=2)).compute()
    reports = [spindetect.scan(text) for text in TEXTS]
    assert result["spindetect_verdict"].tolist()[:-1] == [r.verdict for r in reports]
    assert result["spindetect_count"].tolist()[:-1] == [len(r.findings) for r in reports]
    assert result["spindetect_words"].tolist()[:-1] == [r.words for r in reports]
    assert result["spindetect_score"].tolist()[:-1] == [round(r.score, 4) for r in reports]
    assert pd.isna(result["spindetect_verdict"].iloc[-1])
    kept = sd.drop_spun(dd.from_pandas(frame, npartitions=2)).compute()
    assert kept["id"].tolist() == [n for n, r in enumerate(reports) if not r.is_spun] + [6]
