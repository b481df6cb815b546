//! A small read simulator for the tests of the three detection modules:
//! random reference, diploid sample with SNVs and 1–10 bp indels (het and
//! hom), reads from both strands with substitution errors.

/// splitmix64: tiny, seedable, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn base(&mut self) -> u8 {
        b"ACGT"[self.below(4)]
    }

    pub fn bases(&mut self, length: usize) -> Vec<u8> {
        (0..length).map(|_| self.base()).collect()
    }

    /// A base other than `base`.
    pub fn other_base(&mut self, base: u8) -> u8 {
        loop {
            let b = self.base();
            if b != base {
                return b;
            }
        }
    }
}

/// A true variant in VCF form (0-based position on its contig).
#[derive(Debug, Clone)]
pub struct TrueVariant {
    pub contig: usize,
    pub position: usize,
    pub reference: Vec<u8>,
    pub alternate: Vec<u8>,
    pub homozygous: bool,
}

/// Reference contigs, the two haplotypes of each, and the truth.
pub struct Sample {
    pub contigs: Vec<(String, Vec<u8>)>,
    pub haplotypes: Vec<[Vec<u8>; 2]>,
    pub truth: Vec<TrueVariant>,
}

/// A random reference of `lengths` and a diploid sample with variants at
/// `rate` per base, `indel_fraction` of them indels of 1–10 bp; a third
/// homozygous, the rest heterozygous on either haplotype.
pub fn sample(rng: &mut Rng, lengths: &[usize], rate: f64, indel_fraction: f64) -> Sample {
    let contigs: Vec<(String, Vec<u8>)> = lengths
        .iter()
        .enumerate()
        .map(|(i, &length)| (format!("chr{}", i + 1), rng.bases(length)))
        .collect();
    let mut haplotypes = Vec::new();
    let mut truth = Vec::new();
    for (contig, (_, sequence)) in contigs.iter().enumerate() {
        let mut haps = [Vec::new(), Vec::new()];
        let mut i = 0;
        while i < sequence.len() {
            if i == 0 || i + 12 >= sequence.len() || !rng.chance(rate) {
                haps[0].push(sequence[i]);
                haps[1].push(sequence[i]);
                i += 1;
                continue;
            }
            let carriers = match rng.below(3) {
                0 => [true, false],
                1 => [false, true],
                _ => [true, true],
            };
            let (reference, alternate) = if rng.chance(indel_fraction) {
                let length = 1 + rng.below(10);
                if rng.chance(0.5) {
                    let mut alternate = vec![sequence[i]];
                    alternate.extend(rng.bases(length));
                    (vec![sequence[i]], alternate)
                } else {
                    (sequence[i..=i + length].to_vec(), vec![sequence[i]])
                }
            } else {
                (vec![sequence[i]], vec![rng.other_base(sequence[i])])
            };
            for (hap, &carries) in haps.iter_mut().zip(&carriers) {
                hap.extend_from_slice(if carries { &alternate } else { &reference });
            }
            truth.push(TrueVariant {
                contig,
                position: i,
                homozygous: carriers == [true, true],
                reference: reference.clone(),
                alternate,
            });
            i += reference.len();
        }
        haplotypes.push(haps);
    }
    Sample {
        contigs,
        haplotypes,
        truth,
    }
}

/// Reads in the producer's struct-of-arrays form.
#[derive(Default)]
pub struct Reads {
    pub bases: Vec<u8>,
    pub qualities: Vec<u8>,
    pub offsets: Vec<u32>,
}

/// `count` reads of `length` from random haplotypes and positions, half
/// reverse-complemented, with substitution errors at `error_rate` and
/// `N` at `n_rate`; qualities Phred 25–40.
pub fn reads(
    rng: &mut Rng,
    sample: &Sample,
    count: usize,
    length: usize,
    error_rate: f64,
    n_rate: f64,
) -> Reads {
    let total: usize = sample.haplotypes.iter().map(|h| h[0].len()).sum();
    let mut reads = Reads {
        offsets: vec![0],
        ..Reads::default()
    };
    for _ in 0..count {
        let mut pick = rng.below(total);
        let mut contig = 0;
        while pick >= sample.haplotypes[contig][0].len() {
            pick -= sample.haplotypes[contig][0].len();
            contig += 1;
        }
        let haplotype = &sample.haplotypes[contig][rng.below(2)];
        let start = rng.below(haplotype.len() - length + 1);
        let mut read = haplotype[start..start + length].to_vec();
        if rng.chance(0.5) {
            read = crate::align::reverse_complement(&read);
        }
        for base in read.iter_mut() {
            if rng.chance(error_rate) {
                *base = rng.other_base(*base);
            } else if rng.chance(n_rate) {
                *base = b'N';
            }
            reads.qualities.push(33 + 25 + rng.below(16) as u8);
        }
        reads.bases.extend_from_slice(&read);
        reads.offsets.push(reads.bases.len() as u32);
    }
    reads
}
