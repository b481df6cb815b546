//! The two ways of calling a pileup: one diploid individual, or a mixed
//! population.

use super::CallerOptions;

/// What a pileup is taken to be read from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CallingMode {
    /// One diploid individual: genotypes, alleles at about half or all
    /// of the reads (see the module documentation of `caller`).
    #[default]
    Germline,
    /// A mixed population (a culture, a virus inside one host, a wastewater
    /// sample): each allele's frequency, at any level, and no genotype (see
    /// `population`).
    Population,
}

impl CallingMode {
    /// `"GERMLINE"` or `"POPULATION"`, as the API spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            CallingMode::Germline => "GERMLINE",
            CallingMode::Population => "POPULATION",
        }
    }
}

/// The default minimum allele frequency of population calling.
pub const POPULATION_MIN_ALLELE_FREQUENCY: f64 = 0.02;

impl CallerOptions {
    /// The defaults of population calling: those of germline calling, with
    /// alleles confirmed from [`POPULATION_MIN_ALLELE_FREQUENCY`].
    pub fn population() -> Self {
        CallerOptions {
            mode: CallingMode::Population,
            min_allele_frequency: POPULATION_MIN_ALLELE_FREQUENCY,
            ..CallerOptions::default()
        }
    }
}
