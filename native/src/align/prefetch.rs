//! Cache prefetching of what mapping a read will touch: the seeds' buckets,
//! their entries, then the reference where the first hit places the read.

use super::index::ReferenceIndex;
use super::kmer_table::mix;
use super::seed::SeedPlan;

/// Asks the CPU to start loading the cache line holding `value`.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch hint never faults and changes no memory; SSE is part
    // of the x86_64 baseline.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(value as *const T as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// What `ReferenceIndex::prefetch` fetches for a read: each stage needs
/// what the previous one brought into the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PrefetchStage {
    /// The first-round seeds' bucket bounds.
    Buckets,
    /// The first-round seeds' bucket entries.
    Entries,
    /// The reference where the first seed with a hit places the read.
    Reference,
}

impl ReferenceIndex {
    /// Prefetches what mapping read `bases` will touch at `stage`.
    pub(super) fn prefetch(&self, bases: &[u8], seeds_per_read: usize, stage: PrefetchStage) {
        let k = self.kmer_length();
        let table = self.table();
        let Some(plan) = SeedPlan::new(bases.len(), k, seeds_per_read) else {
            return;
        };
        for &s in plan.first_round() {
            let Some((offset, canonical, orientation)) = table.seed_kmer(bases, plan.offset(s))
            else {
                continue;
            };
            let hash = mix(canonical);
            let bucket = table.bucket_of(hash);
            match stage {
                PrefetchStage::Buckets => prefetch(table.bucket_start(bucket)),
                PrefetchStage::Entries => {
                    if let Some(entry) = table.first_entry(bucket) {
                        prefetch(entry);
                    }
                }
                PrefetchStage::Reference => {
                    let check = hash & 0xffff_ffff;
                    let entries = table.bucket_entries(bucket);
                    let Some(&entry) = entries.iter().find(|&&e| e >> 32 == check) else {
                        continue;
                    };
                    let position = ((entry & 0xffff_ffff) >> 1) as usize;
                    let diagonal = if entry & 1 == orientation {
                        position.saturating_sub(offset)
                    } else {
                        position.saturating_sub(bases.len() - offset - k)
                    };
                    let end = (diagonal + bases.len()).min(self.global_sequence().len());
                    for line in (diagonal..end).step_by(64).chain([end - 1]) {
                        prefetch(&self.global_sequence()[line]);
                    }
                    return;
                }
            }
        }
    }
}
