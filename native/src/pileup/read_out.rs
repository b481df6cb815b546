//! Reading a pileup out: depths of a stretch, alleles with their support,
//! over the whole reference or one chunk.

use std::ops::Range;

use super::chunk::{Chunk, CHUNK_BITS, CHUNK_SIZE, TRACKS};
use super::counts::{base_code, chunk_of, snv_key, BASES};
use super::{AlleleSupport, Coverage, IndelAllele, Pileup, SnvAllele};

/// Which depths [`Pileup::chunk_coverage`] decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depths {
    /// All six.
    All,
    /// Depth and indel depth (not their reverse-strand and coin-toss parts).
    DepthAndIndel,
    /// Indel depth alone.
    Indel,
}

impl Depths {
    fn tracks(self) -> [bool; TRACKS] {
        match self {
            Depths::All => [true; TRACKS],
            Depths::DepthAndIndel => [true, true, false, false, false, false],
            Depths::Indel => [false, true, false, false, false, false],
        }
    }
}

impl Pileup {
    fn chunk(&self, chunk: usize) -> Option<&Chunk> {
        self.chunks.get(chunk).and_then(|c| c.as_deref())
    }

    /// Calls `visit(position, chunk, piece)` for each chunk's piece of global
    /// `range` (clipped to the reference), in order: `piece` is the part of
    /// the chunk's bases inside `range`, `position` the global coordinate of
    /// its first base, `chunk` `None` where no read touched it (depth 0).
    fn for_each_piece(
        &self,
        range: Range<u32>,
        mut visit: impl FnMut(u32, Option<&Chunk>, Range<usize>),
    ) {
        let (start, end) = (range.start.min(self.total), range.end.min(self.total));
        let mut position = start;
        while position < end {
            let c = chunk_of(position);
            let chunk_start = (c as u32) << CHUNK_BITS;
            let piece =
                (position - chunk_start) as usize..(end - chunk_start).min(CHUNK_SIZE) as usize;
            let next = chunk_start + piece.end as u32;
            visit(position, self.chunk(c), piece);
            position = next;
        }
    }

    /// All six depths of global `range` (clipped to the reference).
    pub fn coverage(&self, range: Range<u32>) -> Coverage {
        let mut coverage = Coverage {
            start: range.start.min(self.total),
            tracks: Default::default(),
        };
        let mut buffer: [Vec<u32>; TRACKS] = Default::default();
        self.for_each_piece(range, |_, chunk, piece| match chunk {
            Some(chunk) => {
                chunk.depths([true; TRACKS], &mut buffer);
                for (out, depths) in coverage.tracks.iter_mut().zip(&buffer) {
                    out.extend_from_slice(&depths[piece.clone()]);
                }
            }
            None => {
                for out in coverage.tracks.iter_mut() {
                    out.resize(out.len() + piece.len(), 0);
                }
            }
        });
        coverage
    }

    /// Decodes the depths of chunk `chunk` that `depths` names into
    /// `coverage` (the others read 0), reusing its storage.
    pub fn chunk_coverage(&self, chunk: usize, depths: Depths, coverage: &mut Coverage) {
        let range = self.chunk_range(chunk);
        coverage.start = range.start;
        match self.chunk(chunk) {
            Some(c) => {
                c.depths(depths.tracks(), &mut coverage.tracks);
                for track in coverage.tracks.iter_mut() {
                    track.truncate(range.len());
                }
            }
            None => coverage.tracks.iter_mut().for_each(Vec::clear),
        }
    }

    /// Calls `visit(start, depths)` with the (SNV) depths of global `range`
    /// piece by piece, in order, one chunk at a time (so a whole genome is
    /// never materialised).
    pub fn for_each_depth(&self, range: Range<u32>, visit: &mut dyn FnMut(u32, &[u32])) {
        let mut buffer = Vec::new();
        let zeros = vec![0u32; CHUNK_SIZE as usize];
        self.for_each_piece(range, |position, chunk, piece| match chunk {
            Some(chunk) => {
                chunk.depth(&mut buffer);
                visit(position, &buffer[piece]);
            }
            None => visit(position, &zeros[piece]),
        });
    }

    /// Support for alternate base `base` at global `position`.
    pub fn snv_support(&self, position: u32, base: u8) -> AlleleSupport {
        match (self.chunk(chunk_of(position)), base_code(base)) {
            (Some(chunk), Some(code)) => chunk.snvs.get(snv_key(position, code)),
            _ => AlleleSupport::default(),
        }
    }

    /// Support for an indel allele.
    pub fn indel_support(&self, allele: &IndelAllele) -> AlleleSupport {
        if allele.position >= self.total {
            return AlleleSupport::default();
        }
        self.chunk(chunk_of(self.indel_anchor(allele.position)))
            .map_or(AlleleSupport::default(), |chunk| chunk.indels.get(allele))
    }

    /// The SNV alleles of chunk `chunk` with their support; with `once`
    /// false, only those more than one read showed.
    pub fn chunk_snv_alleles(
        &self,
        chunk: usize,
        once: bool,
    ) -> impl Iterator<Item = (SnvAllele, AlleleSupport)> + '_ {
        let chunk_start = (chunk as u32) << CHUNK_BITS;
        let snvs = self.chunk(chunk).map(|c| &c.snvs);
        let all = snvs.filter(|_| once).into_iter().flat_map(|s| s.iter());
        let multi = snvs
            .filter(|_| !once)
            .into_iter()
            .flat_map(|s| s.iter_multi());
        all.chain(multi).map(move |(key, support)| {
            let allele = SnvAllele {
                position: chunk_start + u32::from(key >> 2),
                base: BASES[usize::from(key & 3)],
            };
            (allele, support)
        })
    }

    /// The indel alleles anchored in chunk `chunk` with their support.
    pub fn chunk_indel_alleles(
        &self,
        chunk: usize,
    ) -> impl Iterator<Item = (&IndelAllele, AlleleSupport)> + '_ {
        self.chunk(chunk).into_iter().flat_map(|c| c.indels.iter())
    }

    /// Every observed SNV allele with its support, chunk by chunk.
    pub fn snv_alleles(&self) -> impl Iterator<Item = (SnvAllele, AlleleSupport)> + '_ {
        (0..self.chunks.len()).flat_map(|c| self.chunk_snv_alleles(c, true))
    }

    /// Every observed indel allele with its support, chunk by chunk.
    pub fn indel_alleles(&self) -> impl Iterator<Item = (&IndelAllele, AlleleSupport)> + '_ {
        (0..self.chunks.len()).flat_map(|c| self.chunk_indel_alleles(c))
    }

    /// Number of distinct alternate alleles held (SNVs, indels).
    pub fn allele_counts(&self) -> (usize, usize) {
        self.chunks
            .iter()
            .flatten()
            .fold((0, 0), |(snvs, indels), c| {
                let (once, more) = c.snvs.counts();
                (snvs + once + more, indels + c.indels.len())
            })
    }

    /// SNV alleles held that one read showed, and that more did.
    pub fn snv_allele_counts(&self) -> (usize, usize) {
        self.chunks
            .iter()
            .flatten()
            .fold((0, 0), |(once, more), c| {
                let (o, m) = c.snvs.counts();
                (once + o, more + m)
            })
    }
}
