//! One stretch of [`CHUNK_SIZE`] reference bases of a pileup, allocated when
//! a read first touches it: its six depths as a list of read start and end
//! events (two bytes each), folded into dense change arrays once the events
//! would take more room than those, and its alleles.
//!
//! A read that runs past a chunk's end leaves no end event in it: the depth
//! of a chunk is the running sum of its own events alone, so no chunk needs
//! another to be read, and a stretch no read touches holds nothing.

use super::indel_store::IndelStore;
use super::snv_store::SnvStore;

/// log2 of [`CHUNK_SIZE`].
pub const CHUNK_BITS: u32 = 10;
/// Reference bases per chunk.
pub const CHUNK_SIZE: u32 = 1 << CHUNK_BITS;
/// Depth tracks per chunk: depth, indel depth, each of them again for the
/// reverse-strand reads and for the reads placed by a coin toss.
pub(super) const TRACKS: usize = 6;

/// Event bits: the offset in the chunk (up to 12 bits), then what the event is.
const OFFSET_MASK: u16 = (CHUNK_SIZE - 1) as u16;
const _: () = assert!(CHUNK_BITS <= 12);
/// The event ends a read (−1) rather than starts one (+1).
pub(super) const END: u16 = 1 << 12;
/// The event is of the indel depth (else of the SNV depth).
pub(super) const INDEL: u16 = 1 << 13;
/// The read matches the reverse strand.
pub(super) const REVERSE: u16 = 1 << 14;
/// The read was placed by a coin toss (MAPQ 0).
pub(super) const COIN_TOSS: u16 = 1 << 15;

/// Past this many events the dense change arrays (six `u32` per base) are
/// smaller than the events (about 440× of 150-bp reads; four events a read).
const DENSE_AFTER: usize = TRACKS * CHUNK_SIZE as usize * 4 / 2;

/// Depth tracks, indexed as [`Chunk::depths`] fills them.
pub(super) mod track {
    pub const DEPTH: usize = 0;
    pub const INDEL_DEPTH: usize = 1;
    pub const REVERSE_DEPTH: usize = 2;
    pub const REVERSE_INDEL_DEPTH: usize = 3;
    pub const COIN_TOSS_DEPTH: usize = 4;
    pub const COIN_TOSS_INDEL_DEPTH: usize = 5;
}

/// A chunk's depth events and alleles.
#[derive(Debug, Clone, Default)]
pub(super) struct Chunk {
    /// Read start and end events, in arrival order (see the bit constants).
    pub(super) events: Vec<u16>,
    /// Once widened: per track, `CHUNK_SIZE` wrapping changes (track-major);
    /// `events` is then empty and stays so.
    pub(super) dense: Option<Box<[u32]>>,
    pub(super) snvs: SnvStore,
    pub(super) indels: IndelStore,
    /// The pileup's generation when this chunk last changed.
    pub(super) generation: u64,
}

/// Grows `values` by half its length at a time instead of doubling it, so
/// that at most a third of a chunk's storage is slack.
pub(super) fn reserve_one<T>(values: &mut Vec<T>) {
    if values.len() == values.capacity() {
        // Lists of large entries (alleles in full) start with one.
        let least = if std::mem::size_of::<T>() > 8 { 1 } else { 4 };
        values.reserve_exact((values.len() / 2).max(least));
    }
}

/// The tracks one event changes: its own, and its reverse and coin-toss copies.
#[inline]
fn tracks_of(event: u16) -> impl Iterator<Item = usize> {
    let base = usize::from(event & INDEL != 0);
    [
        Some(base),
        (event & REVERSE != 0).then_some(track::REVERSE_DEPTH + base),
        (event & COIN_TOSS != 0).then_some(track::COIN_TOSS_DEPTH + base),
    ]
    .into_iter()
    .flatten()
}

#[inline]
fn apply(dense: &mut [u32], event: u16) {
    let offset = usize::from(event & OFFSET_MASK);
    let change = if event & END != 0 { u32::MAX } else { 1 };
    for t in tracks_of(event) {
        let slot = &mut dense[t * CHUNK_SIZE as usize + offset];
        *slot = slot.wrapping_add(change);
    }
}

impl Chunk {
    /// Adds one event: `offset` in the chunk with its kind bits.
    #[inline]
    pub(super) fn push_event(&mut self, offset: u32, kind: u16) {
        let event = offset as u16 & OFFSET_MASK | kind;
        if let Some(dense) = &mut self.dense {
            apply(dense, event);
            return;
        }
        reserve_one(&mut self.events);
        self.events.push(event);
        if self.events.len() > DENSE_AFTER {
            self.widen();
        }
    }

    /// Folds the events into dense change arrays.
    fn widen(&mut self) {
        let mut dense = vec![0u32; TRACKS * CHUNK_SIZE as usize].into_boxed_slice();
        for &event in &self.events {
            apply(&mut dense, event);
        }
        self.events = Vec::new();
        self.dense = Some(dense);
    }

    /// Adds everything `other` holds.
    pub(super) fn absorb(&mut self, other: &Chunk) {
        match (&mut self.dense, &other.dense) {
            (Some(mine), Some(theirs)) => {
                for (mine, theirs) in mine.iter_mut().zip(theirs.iter()) {
                    *mine = mine.wrapping_add(*theirs);
                }
            }
            (None, Some(theirs)) => {
                let mut dense = theirs.clone();
                for &event in &self.events {
                    apply(&mut dense, event);
                }
                self.events = Vec::new();
                self.dense = Some(dense);
            }
            (_, None) => {
                for &event in &other.events {
                    self.push_event(u32::from(event & OFFSET_MASK), event & !OFFSET_MASK);
                }
            }
        }
        self.snvs.absorb(&other.snvs);
        self.indels.absorb(&other.indels);
    }

    /// Fills `out[track][0..CHUNK_SIZE]` with the chunk's depths, for the
    /// tracks `wanted` names (the others are left empty).
    pub(super) fn depths(&self, wanted: [bool; TRACKS], out: &mut [Vec<u32>; TRACKS]) {
        for (t, depths) in out.iter_mut().enumerate() {
            depths.clear();
            if !wanted[t] {
                continue;
            }
            match &self.dense {
                Some(dense) => depths.extend_from_slice(
                    &dense[t * CHUNK_SIZE as usize..(t + 1) * CHUNK_SIZE as usize],
                ),
                None => depths.resize(CHUNK_SIZE as usize, 0),
            }
        }
        for &event in &self.events {
            let offset = usize::from(event & OFFSET_MASK);
            let change = if event & END != 0 { u32::MAX } else { 1 };
            let own = usize::from(event & INDEL != 0);
            if wanted[own] {
                out[own][offset] = out[own][offset].wrapping_add(change);
            }
            if event & REVERSE != 0 && wanted[track::REVERSE_DEPTH + own] {
                let t = track::REVERSE_DEPTH + own;
                out[t][offset] = out[t][offset].wrapping_add(change);
            }
            if event & COIN_TOSS != 0 && wanted[track::COIN_TOSS_DEPTH + own] {
                let t = track::COIN_TOSS_DEPTH + own;
                out[t][offset] = out[t][offset].wrapping_add(change);
            }
        }
        for depths in out.iter_mut() {
            let mut depth = 0u32;
            for slot in depths.iter_mut() {
                depth = depth.wrapping_add(*slot);
                *slot = depth;
            }
        }
    }

    /// Fills `out[0..CHUNK_SIZE]` with the chunk's (SNV) depth alone.
    pub(super) fn depth(&self, out: &mut Vec<u32>) {
        out.clear();
        match &self.dense {
            Some(dense) => out.extend_from_slice(&dense[..CHUNK_SIZE as usize]),
            None => out.resize(CHUNK_SIZE as usize, 0),
        }
        for &event in &self.events {
            if event & INDEL == 0 {
                let offset = usize::from(event & OFFSET_MASK);
                let change = if event & END != 0 { u32::MAX } else { 1 };
                out[offset] = out[offset].wrapping_add(change);
            }
        }
        let mut depth = 0u32;
        for slot in out.iter_mut() {
            depth = depth.wrapping_add(*slot);
            *slot = depth;
        }
    }

    /// Bytes the chunk holds on the heap, and its own.
    pub(super) fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Chunk>()
            + self.events.capacity() * 2
            + self.dense.as_ref().map_or(0, |d| d.len() * 4)
            + self.snvs.heap_bytes()
            + self.indels.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracks() -> [Vec<u32>; TRACKS] {
        Default::default()
    }

    #[test]
    fn widens_to_dense_arrays_without_changing_a_depth() {
        let mut chunk = Chunk::default();
        // Past the point where the events would outgrow dense arrays, and
        // deeper than 65,535×.
        const READS: u32 = 70_000;
        for read in 0..READS {
            let (start, end) = (read % 100, 100 + read % (CHUNK_SIZE - 200));
            chunk.push_event(start, REVERSE);
            chunk.push_event(end, END | REVERSE);
            chunk.push_event(start + 5, INDEL | COIN_TOSS);
        }
        assert!(chunk.dense.is_some() && chunk.events.is_empty());
        let mut expected = tracks();
        let mut depths = tracks();
        chunk.depths([true; TRACKS], &mut depths);
        // A chunk of events alone, summed up by hand.
        for depths in expected.iter_mut() {
            *depths = vec![0; CHUNK_SIZE as usize];
        }
        for read in 0..READS {
            let (start, end) = (
                (read % 100) as usize,
                (100 + read % (CHUNK_SIZE - 200)) as usize,
            );
            for t in [track::DEPTH, track::REVERSE_DEPTH] {
                expected[t][start..end].iter_mut().for_each(|d| *d += 1);
            }
            for t in [track::INDEL_DEPTH, track::COIN_TOSS_INDEL_DEPTH] {
                expected[t][start + 5..].iter_mut().for_each(|d| *d += 1);
            }
        }
        assert_eq!(depths, expected);
        // Deeper than 65,535× stays exact.
        let last = CHUNK_SIZE as usize - 1;
        assert!(depths[track::INDEL_DEPTH][last] > 65_535);
        let mut depth = Vec::new();
        chunk.depth(&mut depth);
        assert_eq!(depth, expected[track::DEPTH]);

        let mut merged = Chunk::default();
        merged.push_event(0, 0);
        merged.absorb(&chunk);
        merged.depths([true; TRACKS], &mut depths);
        assert_eq!(depths[track::DEPTH][last], expected[track::DEPTH][last] + 1);
    }
}
