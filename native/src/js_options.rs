//! Checking the numbers and names that arrive from JavaScript.

use napi::bindgen_prelude::Either;

use crate::error::{self, HelixError};

/// Largest integer a JavaScript number holds exactly (2^53 − 1).
pub(crate) const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A whole number option within `min..=max`, or an error naming it.
pub(crate) fn whole(name: &str, value: f64, min: f64, max: f64) -> error::Result<u64> {
    if value.is_finite() && value.fract() == 0.0 && value >= min && value <= max {
        Ok(value as u64)
    } else {
        Err(HelixError::option(
            name,
            format!("must be a whole number between {min} and {max}, got {value}"),
        ))
    }
}

/// The `seed` option: a whole number from 0 to 2^53 − 1, default 1.
pub(crate) fn seed(value: Option<f64>) -> error::Result<u64> {
    whole("seed", value.unwrap_or(1.0), 0.0, MAX_SAFE_INTEGER)
}

/// A probability option `name` (default `default`), or an error naming it.
pub(crate) fn rate(name: &str, value: Option<f64>, default: f64) -> error::Result<f64> {
    let value = value.unwrap_or(default);
    error::check_rate(name, value)?;
    Ok(value)
}

/// A contig argument (name or index) as an error message names it.
pub(crate) fn describe_contig(contig: &Either<String, u32>) -> String {
    match contig {
        Either::A(name) => format!("named '{name}'"),
        Either::B(index) => format!("at index {index}"),
    }
}
