//! Trimming of a read's low-quality 3' tail before it is aligned, so that
//! the errors of a failing tail show as a soft clip, not as false SNVs and
//! indels.

/// Number of bases to trim from the end of a read with Phred `qualities`
/// (as BWA's `-q`): the tail whose sum of `threshold - quality` is largest,
/// when positive; never trimming the read below `keep` bases.
pub(super) fn low_quality_tail(qualities: &[u8], threshold: u8, keep: usize) -> usize {
    let length = qualities.len();
    let (mut sum, mut best, mut cut) = (0i32, 0i32, length);
    for i in (keep.min(length)..length).rev() {
        sum += threshold as i32 - qualities[i] as i32;
        if sum < 0 {
            break;
        }
        if sum > best {
            (best, cut) = (sum, i);
        }
    }
    length - cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::reverse_complement;
    use crate::align::testing::{qualities, setup};

    #[test]
    fn soft_clips_a_low_quality_tail_instead_of_reporting_its_errors() {
        let (reference, index, mut mapper) = setup(23);
        let mut quals = qualities(150);
        quals[135..].fill(b'#');
        // The last 15 bases of each read are noise at Phred 2.
        let noisy = |mut read: Vec<u8>| {
            for base in &mut read[135..] {
                *base = if *base == b'A' { b'C' } else { b'A' };
            }
            read
        };
        let forward = noisy(reference[3_000..3_150].to_vec());
        let forward = mapper.map_read(&index, &forward, &quals).unwrap();
        assert_eq!((forward.start, forward.end), (3_000, 3_135));
        assert_eq!((forward.clip_start, forward.clip_end), (0, 15));
        assert!(forward.events.is_empty());
        // On the reverse strand the read's end is the alignment's start.
        let reverse = noisy(reverse_complement(&reference[3_000..3_150]));
        let reverse = mapper.map_read(&index, &reverse, &quals).unwrap();
        assert_eq!((reverse.start, reverse.end), (3_015, 3_150));
        assert_eq!((reverse.clip_start, reverse.clip_end), (15, 0));
        assert!(reverse.events.is_empty());
    }

    #[test]
    fn trims_the_tail_that_is_mostly_below_the_threshold() {
        let mut qualities = vec![30u8; 100];
        assert_eq!(low_quality_tail(&qualities, 10, 35), 0);
        // Q2 for the last 20 bases, one Q30 among them: still one tail.
        qualities[80..].fill(2);
        qualities[90] = 30;
        assert_eq!(low_quality_tail(&qualities, 10, 35), 20);
        // Trimming starts from the last base: one above the threshold there
        // keeps the tail (as BWA and cutadapt do).
        qualities[99] = 12;
        assert_eq!(low_quality_tail(&qualities, 10, 35), 0);
        // Never below `keep` bases.
        qualities.fill(2);
        assert_eq!(low_quality_tail(&qualities, 10, 35), 65);
        assert_eq!(low_quality_tail(&[], 10, 35), 0);
    }
}
