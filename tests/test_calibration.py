import itertools
import random

import pytest

from spindetect.calibration import FalseDiscoveryControl, NullDistribution, default_null


def test_bundled_null_is_a_decreasing_survival_function():
    null = default_null()
    assert null.suspects > 10_000
    assert list(null.values) == sorted(null.values)
    assert all(a >= b for a, b in itertools.pairwise(null.survival))
    assert null.p_value(-100) == 1.0
    assert null.p_value(2.0) > null.p_value(4.0) > null.p_value(8.0) > 0


def test_from_sample_recovers_tail_probabilities():
    rng = random.Random(0)
    sample = [rng.expovariate(1.0) for _ in range(20_000)]
    null = NullDistribution.from_sample(sample)
    # For Exp(1), P(X >= 3) = e^-3 = 0.0498.
    assert null.p_value(3.0) == pytest.approx(0.0498, rel=0.15)


def test_fdr_rejects_a_document_that_looks_like_the_null_and_accepts_an_excess():
    rng = random.Random(1)
    clean = [rng.random() for _ in range(300)]  # p-values of a clean document: uniform
    assert min(FalseDiscoveryControl(clean).q_value(p) for p in clean) > 0.2
    spun = clean + [rng.uniform(0, 1e-4) for _ in range(30)]
    control = FalseDiscoveryControl(spun)
    assert max(control.q_value(p) for p in spun if p <= 1e-4) < 0.05


def test_certain_discoveries_lend_power():
    rng = random.Random(3)
    p_values = [rng.random() for _ in range(200)] + [0.002] * 5
    without = FalseDiscoveryControl(p_values).q_value(0.002)
    with_artefacts = FalseDiscoveryControl(p_values, certain=20).q_value(0.002)
    assert with_artefacts < without


def test_q_value_never_falls_as_p_rises():
    rng = random.Random(2)
    control = FalseDiscoveryControl([rng.random() ** 3 for _ in range(200)])
    qs = [control.q_value(x / 1000) for x in range(0, 1000, 7)]
    assert all(a <= b + 1e-12 for a, b in itertools.pairwise(qs))


def test_too_few_suspects_or_none_give_no_discoveries():
    assert FalseDiscoveryControl([]).q_value(0.0) == 1.0
    assert FalseDiscoveryControl([1e-9] * 5, min_suspects=20).q_value(1e-9) == 1.0
