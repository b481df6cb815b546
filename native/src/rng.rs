//! Deterministic pseudo-random numbers shared bit for bit with the TypeScript
//! reference (`reference/simulate.ts`).
//!
//! * Generator: xoshiro128** (Blackman & Vigna), 32-bit state words and 32-bit
//!   outputs, so JavaScript can run it with `Math.imul` and `>>> 0` only.
//! * Seeding: splitmix64 over `seed + stream * 0xD1B54A32D192ED03` (wrapping);
//!   its first two outputs fill the four state words, low half first. Each
//!   consumer (reference, mutations, reads) has its own stream, so changing the
//!   number of reads never changes the reference or the mutations, and read
//!   origins can be drawn ahead of their errors (to prefetch their bases).
//! * Bounded integers: `floor(next_u32() * n / 2^32)` (Lemire's multiply-shift
//!   without rejection); `n` is at most 2^32.
//! * No floating-point transcendental functions anywhere in the simulator:
//!   only `+ - * /` and comparisons, which IEEE 754 makes identical in Rust and
//!   JavaScript.

/// Independent random streams derived from one user seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// Random reference bases.
    Reference = 1,
    /// Mutation positions, types and genotypes.
    Mutations = 2,
    /// Read origins: contig, haplotype, fragment length, start, strand.
    Reads = 3,
    /// Sequencing errors in reads.
    Errors = 4,
}

/// One step of splitmix64.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro128** generator.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u32; 4],
}

impl Rng {
    /// A generator for `stream` of `seed`.
    pub fn new(seed: u64, stream: Stream) -> Self {
        let mut sm = seed.wrapping_add((stream as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let a = splitmix64(&mut sm);
        let b = splitmix64(&mut sm);
        let mut s = [a as u32, (a >> 32) as u32, b as u32, (b >> 32) as u32];
        if s == [0; 4] {
            s[0] = 1;
        }
        Self { s }
    }

    /// Next 32 uniformly distributed bits.
    #[inline(always)]
    pub fn next_u32(&mut self) -> u32 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 9;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(11);
        result
    }

    /// Uniform integer in `0..n` (`n <= 2^32`).
    #[inline(always)]
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n <= 1 << 32);
        (u64::from(self.next_u32()) * n) >> 32
    }

    /// One fair bit (the top bit of the next output).
    #[inline(always)]
    pub fn bit(&mut self) -> u32 {
        self.next_u32() >> 31
    }
}

/// `floor(p * 2^32)` clamped to `0..=2^32`: `next_u32() < threshold(p)` is true
/// with probability `p`.
pub fn threshold(p: f64) -> u64 {
    let t = (p * 4_294_967_296.0).floor();
    if t <= 0.0 {
        0
    } else if t >= 4_294_967_296.0 {
        1 << 32
    } else {
        t as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_published_sequence() {
        // Reference values for seed 1234567 (from the splitmix64 paper's C code).
        let mut state = 1234567u64;
        assert_eq!(splitmix64(&mut state), 6457827717110365317);
        assert_eq!(splitmix64(&mut state), 3203168211198807973);
    }

    #[test]
    fn xoshiro128_starts_with_known_outputs() {
        // State [1, 2, 3, 4]: first outputs of the reference C implementation.
        let mut rng = Rng { s: [1, 2, 3, 4] };
        assert_eq!(rng.next_u32(), 11520);
        assert_eq!(rng.next_u32(), 0);
        assert_eq!(rng.next_u32(), 5927040);
    }

    #[test]
    fn streams_differ_and_repeat() {
        let mut a = Rng::new(7, Stream::Reads);
        let mut b = Rng::new(7, Stream::Reads);
        let mut c = Rng::new(7, Stream::Mutations);
        let xs: Vec<u32> = (0..8).map(|_| a.next_u32()).collect();
        let ys: Vec<u32> = (0..8).map(|_| b.next_u32()).collect();
        let zs: Vec<u32> = (0..8).map(|_| c.next_u32()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(1, Stream::Reads);
        for n in [1u64, 2, 3, 150, 1 << 32] {
            for _ in 0..1000 {
                assert!(rng.below(n) < n);
            }
        }
    }

    #[test]
    fn threshold_clamps() {
        assert_eq!(threshold(0.0), 0);
        assert_eq!(threshold(1.0), 1 << 32);
        assert_eq!(threshold(0.5), 1 << 31);
    }
}
