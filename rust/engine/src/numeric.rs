//! Floating-point helpers that reproduce numpy's and Python's exact arithmetic, so results match
//! the Python reference bit for bit where the operations are the same.

/// numpy's `add.reduce` of a contiguous float64 array: pairwise summation in blocks of 128 with
/// eight partial sums (numpy's `pairwise_sum`), added to an initial 0.0.
pub fn pairwise_sum(values: &[f64]) -> f64 {
    0.0 + pairwise_block(values)
}

fn pairwise_block(values: &[f64]) -> f64 {
    const BLOCK: usize = 128;
    let count = values.len();
    if count < 8 {
        let mut total = 0.0;
        for value in values {
            total += value;
        }
        total
    } else if count <= BLOCK {
        let mut partial = [0.0f64; 8];
        partial.copy_from_slice(&values[..8]);
        let whole = count - count % 8;
        for chunk in values[8..whole].chunks_exact(8) {
            for (sum, value) in partial.iter_mut().zip(chunk) {
                *sum += value;
            }
        }
        let mut total = ((partial[0] + partial[1]) + (partial[2] + partial[3]))
            + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
        for value in &values[whole..] {
            total += value;
        }
        total
    } else {
        let mut half = count / 2;
        half -= half % 8;
        pairwise_block(&values[..half]) + pairwise_block(&values[half..])
    }
}

/// numpy's `minimum`: NaN if either side is NaN.
pub fn np_minimum(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if b < a {
        b
    } else {
        a
    }
}

/// Python's built-in `min(a, b)`: `a` unless `b < a` (so a NaN `a` is kept, a NaN `b` ignored).
pub fn py_min(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// Python's built-in `max(a, b)`: `a` unless `b > a`.
pub fn py_max(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// numpy's `logaddexp(x, y)`: `log(exp(x) + exp(y))` without overflow.
pub fn logaddexp(x: f64, y: f64) -> f64 {
    if x == y {
        x + std::f64::consts::LN_2
    } else {
        let difference = x - y;
        if difference > 0.0 {
            x + (-difference).exp().ln_1p()
        } else if difference <= 0.0 {
            y + difference.exp().ln_1p()
        } else {
            difference
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_sum_adds_every_value() {
        for count in [0usize, 1, 7, 8, 9, 127, 128, 129, 200, 1000] {
            let values: Vec<f64> = (0..count).map(|i| i as f64).collect();
            let expected = (count * count.saturating_sub(1) / 2) as f64;
            assert_eq!(pairwise_sum(&values), expected);
        }
    }

    #[test]
    fn python_min_keeps_nan_first_argument() {
        assert!(py_min(f64::NAN, 1.0).is_nan());
        assert_eq!(py_min(1.0, f64::NAN), 1.0);
        assert!(np_minimum(1.0, f64::NAN).is_nan());
        assert_eq!(logaddexp(0.0, 0.0), std::f64::consts::LN_2);
    }
}
