//! Evidence and pileups as bytes (little-endian arrays behind a header), to
//! cross a thread or process boundary.

use super::chunk::{Chunk, CHUNK_SIZE, TRACKS};
use super::counts::chunk_of;
use super::indel_store::IndelStore;
use super::snv_store::SnvStore;
use super::{AlleleSupport, Evidence, IndelAllele, Pileup, PileupError};

/// Header of serialised [`Evidence`].
const EVIDENCE_MAGIC: &[u8; 8] = b"HXEVID03";
/// Header of a serialised [`Pileup`].
const PILEUP_MAGIC: &[u8; 8] = b"HXPILE05";

impl Evidence {
    /// Serialises to bytes (little-endian arrays behind a header), for
    /// sending to another thread or process.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            64 + self.span_starts.len() * 9
                + self.snv_positions.len() * 6
                + self.indel_positions.len() * 9
                + self.indel_inserted.len(),
        );
        out.extend_from_slice(EVIDENCE_MAGIC);
        put_u64(&mut out, self.reads);
        put_u32s(&mut out, &self.span_starts);
        put_u32s(&mut out, &self.span_ends);
        put_bytes(&mut out, &self.span_flags);
        put_u32s(&mut out, &self.snv_positions);
        put_bytes(&mut out, &self.snv_bases);
        put_bytes(&mut out, &self.snv_qualities);
        put_bytes(&mut out, &self.snv_mapping_qualities);
        put_bytes(&mut out, &self.snv_flags);
        put_u32s(&mut out, &self.indel_positions);
        let lengths: Vec<u32> = self.indel_lengths.iter().map(|&l| l as u32).collect();
        put_u32s(&mut out, &lengths);
        put_u32s(&mut out, &self.indel_replaced);
        put_bytes(&mut out, &self.indel_qualities);
        put_bytes(&mut out, &self.indel_mapping_qualities);
        put_bytes(&mut out, &self.indel_flags);
        put_bytes(&mut out, &self.indel_inserted);
        out
    }

    /// Decodes what [`Evidence::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PileupError> {
        let mut reader = ByteReader::new(bytes, EVIDENCE_MAGIC)?;
        let evidence = Evidence {
            reads: reader.u64()?,
            span_starts: reader.u32s()?,
            span_ends: reader.u32s()?,
            span_flags: reader.bytes()?,
            snv_positions: reader.u32s()?,
            snv_bases: reader.bytes()?,
            snv_qualities: reader.bytes()?,
            snv_mapping_qualities: reader.bytes()?,
            snv_flags: reader.bytes()?,
            indel_positions: reader.u32s()?,
            indel_lengths: reader.u32s()?.into_iter().map(|l| l as i32).collect(),
            indel_replaced: reader.u32s()?,
            indel_qualities: reader.bytes()?,
            indel_mapping_qualities: reader.bytes()?,
            indel_flags: reader.bytes()?,
            indel_inserted: reader.bytes()?,
        };
        reader.finish()?;
        evidence.validate()?;
        Ok(evidence)
    }
}

impl Pileup {
    /// Serialises to bytes (little-endian arrays behind a header): the
    /// touched chunks alone, each as it is held.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.heap_bytes());
        out.extend_from_slice(PILEUP_MAGIC);
        put_u32s(&mut out, &self.contig_lengths);
        put_u64(&mut out, self.reads);
        put_u64(&mut out, self.used_reads);
        let touched: Vec<_> = self
            .chunks
            .iter()
            .enumerate()
            .filter_map(|(c, chunk)| chunk.as_ref().map(|chunk| (c, chunk)))
            .collect();
        put_u64(&mut out, touched.len() as u64);
        for (c, chunk) in touched {
            put_u64(&mut out, c as u64);
            put_u64(&mut out, chunk.events.len() as u64);
            for event in &chunk.events {
                out.extend_from_slice(&event.to_le_bytes());
            }
            put_u32s(&mut out, chunk.dense.as_deref().unwrap_or(&[]));
            put_u32s(&mut out, chunk.snvs.singles());
            let multi: Vec<_> = chunk.snvs.iter_multi().collect();
            put_u64(&mut out, multi.len() as u64);
            for (key, support) in &multi {
                put_u64(&mut out, u64::from(*key));
                put_support(&mut out, support);
            }
            let indels: Vec<_> = chunk.indels.iter().collect();
            put_u64(&mut out, indels.len() as u64);
            for (allele, support) in indels {
                put_u64(&mut out, allele.position as u64);
                put_u64(&mut out, allele.deleted as u64);
                put_bytes(&mut out, &allele.inserted);
                put_support(&mut out, &support);
            }
        }
        out
    }

    /// Decodes what [`Pileup::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PileupError> {
        let corrupt = |message: &str| PileupError::Corrupt {
            message: message.into(),
        };
        let mut reader = ByteReader::new(bytes, PILEUP_MAGIC)?;
        let contig_lengths = reader.u32s()?;
        if contig_lengths.iter().map(|&l| u64::from(l)).sum::<u64>() > u64::from(u32::MAX) {
            return Err(corrupt("contigs longer than 2^32 bases in all"));
        }
        let mut pileup = Pileup::with_contigs(contig_lengths);
        pileup.reads = reader.u64()?;
        pileup.used_reads = reader.u64()?;
        for _ in 0..reader.u64()? {
            let c = reader.u64()? as usize;
            if c >= pileup.chunks.len() || pileup.chunks[c].is_some() {
                return Err(corrupt("chunk outside the reference or repeated"));
            }
            let events = reader.length(2)?;
            let events = reader
                .take(events * 2)?
                .chunks_exact(2)
                .map(|e| u16::from_le_bytes([e[0], e[1]]))
                .collect();
            let dense = reader.u32s()?;
            let dense = match dense.len() {
                0 => None,
                n if n == TRACKS * CHUNK_SIZE as usize => Some(dense.into_boxed_slice()),
                _ => return Err(corrupt("dense depths of the wrong size")),
            };
            let singles = reader.u32s()?;
            let mut multi = Vec::new();
            for _ in 0..reader.u64()? {
                let key = u16::try_from(reader.u64()?).map_err(|_| corrupt("SNV key"))?;
                multi.push((key, reader.support()?));
            }
            let snvs = SnvStore::from_parts(singles, multi)
                .ok_or_else(|| corrupt("SNV alleles unsorted or outside their chunk"))?;
            let mut indels = IndelStore::default();
            for _ in 0..reader.u64()? {
                let position = reader.u64()? as u32;
                let deleted = reader.u64()? as u32;
                let inserted = reader.bytes()?;
                let support = reader.support()?;
                if position >= pileup.total || chunk_of(pileup.indel_anchor(position)) != c {
                    return Err(corrupt("indel outside its chunk"));
                }
                let allele = IndelAllele {
                    position,
                    deleted,
                    inserted,
                };
                indels.add(&allele, &support);
            }
            pileup.chunks[c] = Some(Box::new(Chunk {
                events,
                dense,
                snvs,
                indels,
                generation: 0,
            }));
        }
        reader.finish()?;
        Ok(pileup)
    }
}

fn put_support(out: &mut Vec<u8>, support: &AlleleSupport) {
    put_u64(out, support.count as u64);
    put_u64(out, support.quality_sum);
    put_u64(out, support.mapping_quality_sum);
    put_u64(out, support.zero_mapping_quality as u64);
    put_u64(out, support.reverse as u64);
    put_u64(out, support.near_read_end as u64);
}

fn put_u64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_u32s(out: &mut Vec<u8>, values: &[u32]) {
    put_u64(out, values.len() as u64);
    out.reserve(values.len() * 4);
    for value in values {
        out.extend_from_slice(&value.to_le_bytes());
    }
}

fn put_bytes(out: &mut Vec<u8>, values: &[u8]) {
    put_u64(out, values.len() as u64);
    out.extend_from_slice(values);
}

/// Reads what the `put_*` functions wrote, failing cleanly on short input.
struct ByteReader<'a> {
    bytes: &'a [u8],
}

impl<'a> ByteReader<'a> {
    fn new(bytes: &'a [u8], magic: &[u8; 8]) -> Result<Self, PileupError> {
        match bytes.strip_prefix(magic.as_slice()) {
            Some(rest) => Ok(ByteReader { bytes: rest }),
            None => Err(PileupError::Corrupt {
                message: format!("missing header {}", String::from_utf8_lossy(magic)),
            }),
        }
    }

    fn take(&mut self, length: usize) -> Result<&'a [u8], PileupError> {
        if self.bytes.len() < length {
            return Err(PileupError::Corrupt {
                message: "truncated".into(),
            });
        }
        let (head, rest) = self.bytes.split_at(length);
        self.bytes = rest;
        Ok(head)
    }

    fn u64(&mut self) -> Result<u64, PileupError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }

    fn support(&mut self) -> Result<AlleleSupport, PileupError> {
        Ok(AlleleSupport {
            count: self.u64()? as u32,
            quality_sum: self.u64()?,
            mapping_quality_sum: self.u64()?,
            zero_mapping_quality: self.u64()? as u32,
            reverse: self.u64()? as u32,
            near_read_end: self.u64()? as u32,
        })
    }

    fn length(&mut self, element_size: usize) -> Result<usize, PileupError> {
        let length = self.u64()?;
        if length.saturating_mul(element_size as u64) > self.bytes.len() as u64 {
            return Err(PileupError::Corrupt {
                message: "array longer than the data".into(),
            });
        }
        Ok(length as usize)
    }

    fn u32s(&mut self) -> Result<Vec<u32>, PileupError> {
        let length = self.length(4)?;
        let raw = self.take(length * 4)?;
        Ok(raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect())
    }

    fn bytes(&mut self) -> Result<Vec<u8>, PileupError> {
        let length = self.length(1)?;
        Ok(self.take(length)?.to_vec())
    }

    fn finish(self) -> Result<(), PileupError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(PileupError::Corrupt {
                message: format!("{} unexpected trailing bytes", self.bytes.len()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pileup::testing::alignments;
    use crate::pileup::{EvidenceOptions, IndelAllele};

    #[test]
    fn evidence_and_pileups_survive_a_round_trip_through_bytes() {
        let (index, alignments) = alignments();
        let mut evidence = Evidence::new();
        evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
        let bytes = evidence.to_bytes();
        assert_eq!(Evidence::from_bytes(&bytes).unwrap(), evidence);
        assert!(Evidence::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Evidence::from_bytes(b"nonsense").is_err());

        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let decoded = Pileup::from_bytes(&pileup.to_bytes()).unwrap();
        let all = 0..pileup.total_length();
        assert_eq!(decoded.coverage(all.clone()), pileup.coverage(all));
        assert_eq!(decoded.allele_counts(), pileup.allele_counts());
        let deletion = IndelAllele {
            position: 91,
            deleted: 1,
            inserted: Vec::new(),
        };
        assert_eq!(
            decoded.indel_support(&deletion),
            pileup.indel_support(&deletion)
        );
        let mut bad = pileup.to_bytes();
        bad.push(0);
        assert!(matches!(
            Pileup::from_bytes(&bad),
            Err(PileupError::Corrupt { .. })
        ));

        evidence.clear();
        assert_eq!(evidence, Evidence::new());
    }
}
