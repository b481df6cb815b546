//! GenBank: sequences and features (CDS and RNA genes with their
//! `join(...)`/`complement(...)` locations), read with `gb-io`.

use std::collections::HashSet;
use std::path::Path;

use gb_io::seq::{After, Before, Location, Seq, Topology};

use super::feature::{Biotype, Feature, Segment, Strand};
use super::genetic_code::GeneticCode;
use super::source::{ContigSequence, ParsedAnnotation, ReferenceContigs};
use crate::error::{HelixError, Result};

/// Feature keys read as non-coding transcripts.
const RNA_KINDS: &[&str] = &["rRNA", "tRNA", "ncRNA", "tmRNA", "misc_RNA"];

/// Reads every entry of a GenBank file.
pub fn read(path: &Path) -> Result<Vec<Seq>> {
    let input = path.display().to_string();
    gb_io::reader::parse_file(path)
        .map_err(|e| HelixError::format(&input, format!("not readable as GenBank: {e}")))
}

/// Names an entry may go by in a FASTA reference: LOCUS, ACCESSION, VERSION.
fn names(seq: &Seq) -> Vec<String> {
    [&seq.name, &seq.accession, &seq.version]
        .into_iter()
        .flatten()
        .map(|name| name.split_whitespace().next().unwrap_or("").to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The entries' sequences, named by LOCUS, upper case.
pub fn sequences(seqs: &[Seq], input: &str) -> Result<Vec<ContigSequence>> {
    seqs.iter()
        .map(|seq| {
            let name = names(seq)
                .into_iter()
                .next()
                .ok_or_else(|| HelixError::format(input, "an entry has no LOCUS name"))?;
            if seq.seq.is_empty() {
                return Err(HelixError::format(
                    input,
                    format!("entry {name} has no ORIGIN sequence"),
                ));
            }
            Ok(ContigSequence {
                name,
                sequence: seq.seq.to_ascii_uppercase(),
                circular: seq.topology == Topology::Circular,
            })
        })
        .collect()
}

/// Flattens a location into segments in transcription order; `Err` names
/// what cannot be read as bases of this entry.
fn segments(location: &Location, out: &mut Vec<Segment>) -> std::result::Result<(), String> {
    match location {
        Location::Range((start, Before(_)), (end, After(_))) => {
            out.push(Segment {
                start: *start as u64 + 1,
                end: *end as u64,
                strand: Strand::Forward,
            });
        }
        Location::Complement(inner) => {
            let mut inner_segments = Vec::new();
            segments(inner, &mut inner_segments)?;
            for segment in inner_segments.into_iter().rev() {
                let strand = match segment.strand {
                    Strand::Forward => Strand::Reverse,
                    Strand::Reverse => Strand::Forward,
                };
                out.push(Segment { strand, ..segment });
            }
        }
        Location::Join(parts) | Location::Order(parts) => {
            for part in parts {
                segments(part, out)?;
            }
        }
        other => {
            return Err(format!(
                "location {} is not a span of bases of this entry",
                other.to_gb_format()
            ))
        }
    }
    Ok(())
}

/// Whether an entry's division (`BCT`, `PHG`) or lineage says bacteria,
/// archaea or phage: its genetic code defaults to 11, its ploidy to 1.
pub fn is_microbial(seq: &Seq) -> bool {
    let lineage = seq
        .source
        .as_ref()
        .map(|s| format!("{} {}", s.source, s.organism.as_deref().unwrap_or("")))
        .unwrap_or_default()
        .to_lowercase();
    matches!(seq.division.as_str(), "BCT" | "PHG")
        || ["bacteria", "archaea", "phage"]
            .iter()
            .any(|word| lineage.contains(word))
}

/// The genetic code an entry defaults to: 11 for bacteria, archaea and phages, else 1.
fn default_code(seq: &Seq) -> u8 {
    if is_microbial(seq) {
        11
    } else {
        1
    }
}

/// Features of every entry, placed on the reference's contigs.
pub fn features(
    seqs: &[Seq],
    reference: &ReferenceContigs,
    input: &str,
    genetic_code: Option<u8>,
) -> Result<ParsedAnnotation> {
    let mut parsed = ParsedAnnotation::default();
    for seq in seqs {
        let entry_names = names(seq);
        let contig = entry_names
            .iter()
            .find_map(|name| reference.find(name))
            .ok_or_else(|| {
                HelixError::format(
                    input,
                    format!(
                        "entry {} is not a contig of the reference (it has {})",
                        entry_names.join(" / "),
                        reference.names()
                    ),
                )
            })?;
        if !seq.seq.is_empty() && !seq.seq.eq_ignore_ascii_case(reference.sequence(contig)) {
            return Err(HelixError::format(
                input,
                format!(
                    "entry {}'s sequence differs from the reference's contig {}",
                    entry_names.join(" / "),
                    reference.name(contig)
                ),
            ));
        }
        if seq.topology == Topology::Circular {
            parsed.circular.push(contig);
        }
        let default = default_code(seq);
        // Genes with a CDS or RNA of their own are read through that: by locus tag, else location.
        let mut tags = HashSet::new();
        let mut untagged = HashSet::new();
        let mut locations = HashSet::new();
        for coded in seq
            .features
            .iter()
            .filter(|f| f.kind == "CDS" || RNA_KINDS.contains(&f.kind.as_ref()))
        {
            let location = coded.location.to_gb_format();
            if let Some(tag) = coded.qualifier_values("locus_tag").next() {
                tags.insert(tag);
            } else {
                untagged.insert(location.clone());
            }
            locations.insert(location);
        }
        for (number, feature) in seq.features.iter().enumerate() {
            let kind = feature.kind.as_ref();
            let qualifier = |key: &str| {
                feature
                    .qualifier_values(key)
                    .next()
                    .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            };
            let locus_tag = qualifier("locus_tag");
            let gene = qualifier("gene");
            let pseudo = feature
                .qualifiers
                .iter()
                .any(|(key, _)| key == "pseudo" || key == "pseudogene");
            let biotype = match kind {
                "CDS" if pseudo => Biotype::NonCoding("pseudogene".into()),
                "CDS" => {
                    let table = match (genetic_code, qualifier("transl_table")) {
                        (Some(n), _) => n,
                        (None, Some(t)) => t.parse().map_err(|_| {
                            HelixError::format(
                                input,
                                format!(
                                    "CDS {} (feature {}): /transl_table={t} is not a number",
                                    locus_tag.as_deref().unwrap_or("?"),
                                    number + 1
                                ),
                            )
                        })?,
                        (None, None) => default,
                    };
                    let code = GeneticCode::ncbi(table).ok_or_else(|| HelixError::format(input, format!("CDS {} (feature {}): genetic code {table} is not an NCBI table known here ({:?})", locus_tag.as_deref().unwrap_or("?"), number + 1, GeneticCode::known_numbers())))?;
                    let codon_start: u64 = qualifier("codon_start")
                        .and_then(|c| c.parse().ok())
                        .unwrap_or(1);
                    Biotype::ProteinCoding {
                        code,
                        offset: codon_start.saturating_sub(1),
                    }
                }
                kind if RNA_KINDS.contains(&kind) => Biotype::NonCoding(kind.to_string()),
                "gene" => {
                    let location = feature.location.to_gb_format();
                    let covered = match &locus_tag {
                        Some(tag) => tags.contains(tag.as_str()) || untagged.contains(&location),
                        None => locations.contains(&location),
                    };
                    if covered {
                        continue;
                    }
                    Biotype::NonCoding(if pseudo { "pseudogene" } else { "gene" }.into())
                }
                _ => continue,
            };
            let origin = format!(
                "{kind} feature {} of entry {}",
                number + 1,
                entry_names.first().map_or("?", String::as_str)
            );
            let mut parts = Vec::new();
            segments(&feature.location, &mut parts).map_err(|message| {
                HelixError::format(
                    input,
                    format!(
                        "{origin} ({}): {message}",
                        locus_tag.as_deref().or(gene.as_deref()).unwrap_or("?")
                    ),
                )
            })?;
            let transcript_id = qualifier("protein_id")
                .or_else(|| locus_tag.clone())
                .or_else(|| gene.clone())
                .unwrap_or_else(|| format!("{kind}_{}", number + 1));
            parsed.features.push((
                Feature {
                    contig,
                    gene,
                    locus_tag,
                    transcript_id,
                    product: qualifier("product"),
                    segments: parts,
                    biotype,
                    origin,
                    warnings: Vec::new(),
                },
                qualifier("translation").map(|t| t.replace(' ', "")),
            ));
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(text: &str) -> Vec<Segment> {
        let mut out = Vec::new();
        segments(&Location::from_gb_format(text).unwrap(), &mut out).unwrap();
        out
    }

    #[test]
    fn locations_become_segments_in_transcription_order() {
        assert_eq!(
            located("601..1404"),
            vec![Segment {
                start: 601,
                end: 1404,
                strand: Strand::Forward
            }]
        );
        assert_eq!(
            located("complement(join(10..20,30..40))"),
            vec![
                Segment {
                    start: 30,
                    end: 40,
                    strand: Strand::Reverse
                },
                Segment {
                    start: 10,
                    end: 20,
                    strand: Strand::Reverse
                }
            ]
        );
        assert_eq!(
            located("join(1..100,100..200)"),
            vec![
                Segment {
                    start: 1,
                    end: 100,
                    strand: Strand::Forward
                },
                Segment {
                    start: 100,
                    end: 200,
                    strand: Strand::Forward
                }
            ]
        );
        assert_eq!(
            located("<5..>50")[0],
            Segment {
                start: 5,
                end: 50,
                strand: Strand::Forward
            }
        );
    }

    #[test]
    fn a_location_in_another_entry_is_refused() {
        let mut out = Vec::new();
        let location = Location::from_gb_format("J00194.1:100..202").unwrap();
        assert!(segments(&location, &mut out)
            .unwrap_err()
            .contains("not a span of bases"));
    }
}
