"""Where the default reference is found, and what a report records of a user's model.

The reference's answers are tested in the core: ``rust/engine/tests/reference_parity.rs``
(vocabulary, every query equal to the pocketsphinx-checked Python reader, unsorted trie ranges,
the mixture) and ``reference_files.rs`` (missing, truncated and corrupted files).  How the
reference's preferences decide findings is in ``test_context.py``.
"""

import os

import pytest

from spindetect.reference import ModelError, cmu_model_path, reference_provenance


def test_the_cmu_model_is_found_in_the_installed_pocketsphinx():
    path = cmu_model_path()
    assert path.endswith(os.path.join("en-us", "en-us.lm.bin"))
    assert os.path.getsize(path) > 10_000_000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hello world, not a model", "not a spindetect reference model"),
        (b"SPDNGRM1" + (5).to_bytes(8, "little") + b"{oops", "damaged model header"),
    ],
)
def test_a_file_that_is_not_a_model_is_a_clear_error(tmp_path, data, message):
    path = tmp_path / "bad.spref"
    path.write_bytes(data)
    with pytest.raises(ModelError, match=message):
        reference_provenance(path)
    with pytest.raises(ModelError, match="cannot read"):
        reference_provenance(tmp_path / "missing.spref")
