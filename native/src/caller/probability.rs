//! Exact tail probabilities in log space, for any depth: binomial tails and
//! Fisher's exact test on a 2×2 table. Factorials are never formed; terms
//! are summed outward from the observed value, relative to it, and only as
//! far as they still count, so 100,000 reads cost what 100 do.

use std::f64::consts::LN_10;

/// A term smaller than this fraction of the running sum ends a tail.
const NEGLIGIBLE: f64 = 1e-17;

/// `ln n!`: summed exactly below 256, Stirling's series beyond (accurate to
/// about 1e-15 there).
pub(super) fn ln_factorial(n: u32) -> f64 {
    const EXACT: usize = 256;
    static TABLE: std::sync::OnceLock<[f64; EXACT]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = [0.0; EXACT];
        for i in 1..EXACT {
            table[i] = table[i - 1] + (i as f64).ln();
        }
        table
    });
    if let Some(&exact) = table.get(n as usize) {
        return exact;
    }
    let n = f64::from(n);
    let inverse = 1.0 / n;
    let inverse_squared = inverse * inverse;
    n * n.ln() - n
        + 0.5 * (2.0 * std::f64::consts::PI * n).ln()
        + inverse / 12.0 * (1.0 - inverse_squared / 30.0 * (1.0 - inverse_squared * 2.0 / 7.0))
}

/// `ln C(n, k)`.
fn ln_choose(n: u32, k: u32) -> f64 {
    ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k)
}

/// `ln P(X = k)` for `X ~ Binomial(n, p)`, `0 < p < 1`.
fn ln_binomial(n: u32, k: u32, p: f64) -> f64 {
    ln_choose(n, k) + f64::from(k) * p.ln() + f64::from(n - k) * (-p).ln_1p()
}

/// `ln Σ exp(term(j))` over `j = from, from ± 1, …` (`step` ±1) until a
/// term no longer counts or `to` is passed; `ratio(j)` is `term(j ± 1) /
/// term(j)`. Starts at 0 (the first term), so the result is relative to it.
fn ln_relative_tail(from: u32, to: u32, step: i64, ratio: impl Fn(u32) -> f64) -> f64 {
    let (mut sum, mut term, mut j) = (1.0f64, 1.0f64, from);
    while j != to {
        term *= ratio(j);
        j = (i64::from(j) + step) as u32;
        sum += term;
        if term < sum * NEGLIGIBLE {
            break;
        }
    }
    sum.ln()
}

/// `ln P(X ≥ k)` for `X ~ Binomial(n, p)`: the chance of `k` or more
/// errors among `n` reads that each err with probability `p`.
pub(super) fn ln_binomial_upper_tail(n: u32, k: u32, p: f64) -> f64 {
    if k == 0 {
        return 0.0;
    }
    if k > n || p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return 0.0;
    }
    let odds = p / (1.0 - p);
    if f64::from(k) <= f64::from(n) * p {
        // At or below the mean the tail is most of the mass: 1 − the lower.
        let lower = ln_binomial_lower_tail(n, k - 1, p);
        return (-lower.exp()).ln_1p();
    }
    let ratio = |j: u32| f64::from(n - j) / f64::from(j + 1) * odds;
    ln_binomial(n, k, p) + ln_relative_tail(k, n, 1, ratio)
}

/// `ln P(X ≤ k)` for `X ~ Binomial(n, p)`.
pub(super) fn ln_binomial_lower_tail(n: u32, k: u32, p: f64) -> f64 {
    if k >= n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return f64::NEG_INFINITY;
    }
    if f64::from(k) >= f64::from(n) * p {
        let upper = ln_binomial_upper_tail(n, k + 1, p);
        return (-upper.exp()).ln_1p();
    }
    let odds = p / (1.0 - p);
    let ratio = |j: u32| f64::from(j) / (f64::from(n - j + 1) * odds);
    ln_binomial(n, k, p) + ln_relative_tail(k, 0, -1, ratio)
}

/// A 2×2 table of read counts: reference and alternate reads on the forward
/// and reverse strands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StrandTable {
    pub(super) forward_ref: u32,
    pub(super) reverse_ref: u32,
    pub(super) forward_alt: u32,
    pub(super) reverse_alt: u32,
}

impl StrandTable {
    /// `ln p` of Fisher's exact test, two-sided: the chance, with the
    /// margins fixed, of a table at most as likely as this one.
    pub(super) fn ln_fisher_p(&self) -> f64 {
        let alt = self.forward_alt + self.reverse_alt;
        let forward = self.forward_ref + self.forward_alt;
        let total = forward + self.reverse_ref + self.reverse_alt;
        let reverse = total - forward;
        if alt == 0 || alt == total || forward == 0 || reverse == 0 {
            return 0.0;
        }
        // The forward alternate reads `x` follow a hypergeometric law.
        let low = alt.saturating_sub(reverse);
        let high = alt.min(forward);
        let ln_p =
            |x: u32| ln_choose(forward, x) + ln_choose(reverse, alt - x) - ln_choose(total, alt);
        // `P(x + 1) / P(x)` and its inverse.
        let up = |x: u32| {
            f64::from(forward - x) * f64::from(alt - x)
                / (f64::from(x + 1) * (f64::from(reverse) - f64::from(alt) + f64::from(x + 1)))
        };
        let down = |x: u32| 1.0 / up(x - 1);
        let observed = self.forward_alt;
        let ln_observed = ln_p(observed);
        let mode = ((f64::from(alt) + 1.0) * (f64::from(forward) + 1.0) / (f64::from(total) + 2.0))
            .floor()
            .clamp(f64::from(low), f64::from(high)) as u32;
        // Tables as likely as the observed one count too (within rounding).
        let at_most_observed = |x: u32| ln_p(x) <= ln_observed + 1e-7;
        if observed == mode || at_most_observed(mode) {
            return 0.0;
        }
        // Observed tail: outward from the observed table; other tail: from
        // the first table past the mode at most as likely, found by
        // bisection (the law is unimodal).
        let (observed_tail, other_start) = if observed < mode {
            let tail = ln_relative_tail(observed, low, -1, down);
            (tail, first_beyond(mode, high, &at_most_observed))
        } else {
            let tail = ln_relative_tail(observed, high, 1, up);
            (tail, first_below(low, mode, &at_most_observed))
        };
        let mut ln_sum = ln_observed + observed_tail;
        if let Some(start) = other_start {
            let other = if observed < mode {
                ln_p(start) + ln_relative_tail(start, high, 1, up)
            } else {
                ln_p(start) + ln_relative_tail(start, low, -1, down)
            };
            ln_sum = ln_add(ln_sum, other);
        }
        ln_sum.min(0.0)
    }
}

/// The smallest `x` in `mode..=high` with `test(x)` (true from some point
/// on), if any.
fn first_beyond(mode: u32, high: u32, test: &dyn Fn(u32) -> bool) -> Option<u32> {
    if !test(high) {
        return None;
    }
    let (mut lo, mut hi) = (mode, high);
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if test(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// The largest `x` in `low..=mode` with `test(x)` (true up to some point),
/// if any.
fn first_below(low: u32, mode: u32, test: &dyn Fn(u32) -> bool) -> Option<u32> {
    if !test(low) {
        return None;
    }
    let (mut lo, mut hi) = (low, mode);
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if test(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

/// `ln(exp(a) + exp(b))` without overflow.
fn ln_add(a: f64, b: f64) -> f64 {
    let (high, low) = if a > b { (a, b) } else { (b, a) };
    high + (low - high).exp().ln_1p()
}

/// Phred score of a natural-log probability, capped at `max`.
pub(super) fn phred(ln_probability: f64, max: f64) -> f64 {
    (-10.0 / LN_10 * ln_probability).clamp(0.0, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance * b.abs().max(1e-300)
    }

    #[test]
    fn log_factorials_match_the_products_they_stand_for() {
        let exact: f64 = (1..=300u32).map(|i| f64::from(i).ln()).sum();
        assert!(close(ln_factorial(300), exact, 1e-13));
        assert_eq!(ln_factorial(0), 0.0);
        assert!(ln_factorial(u32::MAX).is_finite());
    }

    #[test]
    fn binomial_tails_match_direct_sums_and_stay_finite_at_any_depth() {
        let direct = |n: u32, k: u32, p: f64| -> f64 {
            (k..=n).map(|j| ln_binomial(n, j, p).exp()).sum::<f64>()
        };
        for (n, k, p) in [
            (30, 5, 0.01),
            (1_000, 20, 0.002),
            (50, 2, 0.2),
            (10, 10, 0.5),
        ] {
            let tail = ln_binomial_upper_tail(n, k, p).exp();
            assert!(close(tail, direct(n, k, p), 1e-9), "{n} {k} {p}");
        }
        assert!(close(
            ln_binomial_lower_tail(1_000, 10, 0.02).exp(),
            1.0 - direct(1_000, 11, 0.02),
            1e-9
        ));
        // 5,000 alternate reads in 100,000 at a 0.1 % error rate: far
        // beyond any factorial, still a finite logarithm.
        let tail = ln_binomial_upper_tail(100_000, 5_000, 0.001);
        assert!(tail.is_finite() && tail < -10_000.0);
        assert_eq!(ln_binomial_upper_tail(100, 0, 0.01), 0.0);
        assert!(ln_binomial_upper_tail(100_000, 50, 0.001) > -1e-6);
    }

    #[test]
    fn fishers_test_matches_known_tables() {
        let table = |forward_ref, reverse_ref, forward_alt, reverse_alt| StrandTable {
            forward_ref,
            reverse_ref,
            forward_alt,
            reverse_alt,
        };
        // Summed over every table with exact integers (Python's
        // math.comb), as R's fisher.test does.
        let expected = [
            (table(3, 1, 1, 3), 0.485_714_285_714_285_7),
            (table(10, 10, 10, 0), 0.010_993_737_230_618_791),
            (table(480, 490, 30, 0), 1.415_331_368_379_971_5e-9),
            (table(500, 480, 25, 12), 0.064_083_420_051_552_7),
            (table(7, 2, 1, 9), 0.005_477_494_641_581_329),
            // More alternate reads than reverse-strand reads.
            (table(2, 1, 10, 3), 1.0),
            (table(1, 3, 20, 2), 0.014_381_270_903_010_035),
        ];
        for (table, p) in expected {
            let computed = table.ln_fisher_p().exp();
            assert!(
                close(computed, p, 1e-9),
                "{table:?}: {computed} against {p}"
            );
        }
        assert_eq!(table(500, 500, 20, 20).ln_fisher_p(), 0.0);
        assert_eq!(table(1_000, 0, 50, 0).ln_fisher_p(), 0.0);
        let deep = table(48_000, 47_000, 5_000, 0).ln_fisher_p();
        assert!(deep.is_finite() && deep < -1_000.0);
    }
}
