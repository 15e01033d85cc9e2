import random

import pytest

from spindetect.calibration import FalseDiscoveryControl, NullDistribution, default_null


def test_bundled_null_is_a_decreasing_survival_function():
    null = default_null()
    assert null.suspects > 10_000
    assert list(null.values) == sorted(null.values)
    assert all(a >= b for a, b in zip(null.survival, null.survival[1:]))
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
    null = NullDistribution.from_sample([rng.expovariate(1.0) for _ in range(50_000)])
    clean = [rng.expovariate(1.0) for _ in range(300)]
    assert min(FalseDiscoveryControl(null, clean).q_value(x) for x in clean) > 0.2
    spun = clean + [rng.uniform(8, 12) for _ in range(30)]
    control = FalseDiscoveryControl(null, spun)
    assert max(control.q_value(x) for x in spun if x >= 8) < 0.05


def test_q_value_never_rises_with_the_statistic():
    rng = random.Random(2)
    null = NullDistribution.from_sample([rng.expovariate(1.0) for _ in range(10_000)])
    control = FalseDiscoveryControl(null, [rng.expovariate(0.5) for _ in range(200)])
    qs = [control.q_value(x / 10) for x in range(0, 150)]
    assert all(a >= b - 1e-12 for a, b in zip(qs, qs[1:]))


def test_empty_document_has_no_discoveries():
    assert FalseDiscoveryControl(default_null(), []).q_value(10.0) == 1.0
