//! A normalised variant ([`Edit`]) and a feature's transcript rebuilt with it
//! applied: the general way, for indels and changes across a segment's end
//! (`substitution` is the cheap one for most equal-length changes).

use super::feature::{reverse_complement, Feature, Strand};
use super::hgvs::difference;

/// A normalised variant: `deleted` bases from `start` replaced by `inserted`
/// (a pure insertion goes before `start`). 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// First deleted base, or the base after an insertion.
    pub start: u64,
    /// Number of deleted bases.
    pub deleted: u64,
    /// Inserted bases (forward strand).
    pub inserted: Vec<u8>,
}

impl Edit {
    /// Trims the bases a VCF `ref`/`alt` pair shares (the anchor base first,
    /// then a shared suffix); `None` when nothing changes.
    pub fn from_vcf(position: u64, reference: &[u8], alternate: &[u8]) -> Option<Edit> {
        let reference = reference.to_ascii_uppercase();
        let alternate = alternate.to_ascii_uppercase();
        let change = difference(&reference, &alternate)?;
        Some(Edit {
            start: position + change.start as u64,
            deleted: change.deleted.len() as u64,
            inserted: change.inserted.to_vec(),
        })
    }

    /// Bases the edit touches: the deleted ones, or the two around an insertion.
    pub fn span(&self) -> (u64, u64) {
        if self.deleted == 0 {
            (self.start.saturating_sub(1).max(1), self.start)
        } else {
            (self.start, self.start + self.deleted - 1)
        }
    }

    fn deletes(&self, position: u64) -> bool {
        position >= self.start && position < self.start + self.deleted
    }
}

/// The feature's transcript with the edit applied; `None` when the edit does
/// not change it. A pure insertion goes between two bases read one after
/// the other; a replacement goes where each run of deleted bases begins
/// (twice for a base that ribosomal slippage reads twice).
pub(super) fn edited_transcript(feature: &Feature, contig: &[u8], edit: &Edit) -> Option<Vec<u8>> {
    let mut rebuilt = Rebuilt {
        edit,
        contig,
        bases: Vec::with_capacity(feature.transcript_length() as usize + edit.inserted.len()),
        changed: false,
        previous: None,
    };
    // Only bases from the one before the edit to the one after it can change; the rest of each
    // segment is copied whole (an indel's transcript is rebuilt this way, and base by base it had
    // cost most of annotating the indel).
    let window = (
        edit.start.saturating_sub(1).max(1),
        edit.start + edit.deleted,
    );
    for segment in &feature.segments {
        let strand = segment.strand;
        let (from, to) = (segment.start.max(window.0), segment.end.min(window.1));
        if from > to {
            rebuilt.copy(segment.start, segment.end, strand);
            continue;
        }
        match strand {
            Strand::Forward => {
                rebuilt.copy(segment.start, from - 1, strand);
                (from..=to).for_each(|position| rebuilt.read(position, strand));
                rebuilt.copy(to + 1, segment.end, strand);
            }
            Strand::Reverse => {
                rebuilt.copy(to + 1, segment.end, strand);
                (from..=to)
                    .rev()
                    .for_each(|position| rebuilt.read(position, strand));
                rebuilt.copy(segment.start, from - 1, strand);
            }
        }
    }
    rebuilt.changed.then_some(rebuilt.bases)
}

/// A transcript being rebuilt with an edit, in reading order.
struct Rebuilt<'a> {
    edit: &'a Edit,
    contig: &'a [u8],
    bases: Vec<u8>,
    changed: bool,
    /// The position read last, across segments: whether two bases are read one after the other.
    previous: Option<u64>,
}

impl Rebuilt<'_> {
    /// Reads `position` (1-based) on `strand`, applying the edit where it lies.
    fn read(&mut self, position: u64, strand: Strand) {
        let edit = self.edit;
        let before = self.previous.replace(position);
        let follows = |previous: u64| match strand {
            Strand::Forward => previous + 1 == position,
            Strand::Reverse => previous == position + 1,
        };
        let oriented = || match strand {
            Strand::Forward => edit.inserted.clone(),
            Strand::Reverse => reverse_complement(&edit.inserted),
        };
        if edit.deleted > 0 {
            if edit.deletes(position) {
                if !before.is_some_and(|p| edit.deletes(p) && follows(p)) {
                    self.bases.extend(oriented());
                }
                self.changed = true;
                return;
            }
        } else if let Some(before) = before {
            let gap = match strand {
                Strand::Forward => position,
                Strand::Reverse => before,
            };
            if follows(before) && gap == edit.start {
                self.bases.extend(oriented());
                self.changed = true;
            }
        }
        let base = self.contig[position as usize - 1];
        self.bases.push(match strand {
            Strand::Forward => base,
            Strand::Reverse => super::feature::complement(base),
        });
    }

    /// Reads `from..=to` (1-based), which the edit does not touch, as `strand` reads them.
    fn copy(&mut self, from: u64, to: u64, strand: Strand) {
        if from > to {
            return;
        }
        let bases = &self.contig[from as usize - 1..to as usize];
        match strand {
            Strand::Forward => self.bases.extend_from_slice(bases),
            Strand::Reverse => self
                .bases
                .extend(bases.iter().rev().map(|b| super::feature::complement(*b))),
        }
        self.previous = Some(match strand {
            Strand::Forward => to,
            Strand::Reverse => from,
        });
    }
}
