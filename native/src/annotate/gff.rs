//! GFF3: NCBI RefSeq style (gene → CDS by `Parent`, one `ID` over the
//! segments of a CDS) and Ensembl style (gene → mRNA → CDS), read with
//! `noodles-gff` line by line (see [`super::gff_row`]) so messages can name the line.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use super::feature::{Biotype, Feature, Segment, Strand};
use super::genetic_code::GeneticCode;
use super::gff_row::{rows, Row};
use super::source::{ParsedAnnotation, ReferenceContigs};
use crate::error::{HelixError, Result};

/// Feature types read as genes.
const GENE_TYPES: &[&str] = &["gene", "pseudogene", "ncRNA_gene"];
/// Feature types read as non-coding transcripts (unless a CDS hangs on them).
const RNA_TYPES: &[&str] = &[
    "rRNA",
    "tRNA",
    "ncRNA",
    "tmRNA",
    "snRNA",
    "snoRNA",
    "lnc_RNA",
    "misc_RNA",
    "antisense_RNA",
    "RNase_P_RNA",
    "SRP_RNA",
    "scRNA",
    "transcript",
    "mRNA",
    "pseudogenic_transcript",
    "primary_transcript",
];

/// `gene:ENSG…` → `ENSG…`, `gene-ECB_00200` → `ECB_00200`.
fn bare(id: &str) -> String {
    for prefix in ["gene:", "transcript:", "CDS:", "gene-", "rna-", "cds-"] {
        if let Some(rest) = id.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    id.to_string()
}

/// The gene a row hangs on (itself, its parent, or its parent's parent…).
fn gene_of<'a>(row: &'a Row, by_id: &HashMap<String, &'a Row>) -> Option<&'a Row> {
    let mut current = row;
    for _ in 0..4 {
        if GENE_TYPES.contains(&current.ty.as_str()) {
            return Some(current);
        }
        current = by_id.get(current.parents().first()?)?;
    }
    None
}

/// Splits one row's span into segments, across the origin of a circular contig.
fn spans(row: &Row, strand: Strand, length: u64, circular: bool) -> Vec<Segment> {
    if circular && row.end > length && row.start <= length {
        vec![
            Segment {
                start: row.start,
                end: length,
                strand,
            },
            Segment {
                start: 1,
                end: row.end - length,
                strand,
            },
        ]
    } else {
        vec![Segment {
            start: row.start,
            end: row.end,
            strand,
        }]
    }
}

/// Features of a GFF3 file, placed on the reference's contigs.
pub fn features(
    reader: impl BufRead,
    reference: &ReferenceContigs,
    input: &str,
    genetic_code: Option<u8>,
) -> Result<ParsedAnnotation> {
    let rows = rows(reader, input)?;
    let mut parsed = ParsedAnnotation::default();
    let fail = |row: &Row, message: String| {
        HelixError::format(input, format!("line {}: {message}", row.line))
    };
    let mut circular = Vec::new();
    for row in &rows {
        if reference.find(&row.seqid).is_none() {
            return Err(fail(
                row,
                format!(
                    "contig {} is not in the reference (it has {})",
                    row.seqid,
                    reference.names()
                ),
            ));
        }
        if row.ty == "region" && row.attribute("Is_circular").as_deref() == Some("true") {
            circular.push(reference.find(&row.seqid).unwrap_or(0));
        }
    }
    let by_id: HashMap<String, &Row> = rows
        .iter()
        .filter_map(|r| r.attribute("ID").map(|id| (id, r)))
        .collect();
    // CDS rows grouped: by their shared ID (RefSeq), else by parent (Ensembl).
    let mut groups: Vec<(String, Vec<&Row>)> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    let mut coded_parents: HashSet<String> = HashSet::new();
    for row in rows.iter().filter(|r| r.ty == "CDS") {
        let key = row
            .attribute("ID")
            .or_else(|| row.parents().first().cloned())
            .unwrap_or_else(|| format!("line {}", row.line));
        coded_parents.extend(row.parents());
        let index = *group_of.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[index].1.push(row);
    }
    let mut described: HashSet<String> = coded_parents.clone();
    for (key, group) in &groups {
        let first = group[0];
        let contig = reference.find(&first.seqid).unwrap_or(0);
        let length = reference.sequence(contig).len() as u64;
        let is_circular = circular.contains(&contig);
        let strand = first
            .strand
            .ok_or_else(|| fail(first, format!("CDS {key} has no strand")))?;
        let mut ordered = group.clone();
        if let Some(other) = ordered
            .iter()
            .find(|r| r.seqid != first.seqid || r.strand != first.strand)
        {
            return Err(fail(
                other,
                format!("CDS {key} has segments on different contigs or strands"),
            ));
        }
        ordered.sort_by_key(|r| r.start);
        if strand == Strand::Reverse {
            ordered.reverse();
        }
        let mut segments = Vec::new();
        for row in &ordered {
            segments.extend(spans(row, strand, length, is_circular));
        }
        let gene = gene_of(first, &by_id);
        let pick = |key: &str| {
            first
                .attribute(key)
                .or_else(|| gene.and_then(|g| g.attribute(key)))
        };
        let table = match (genetic_code, first.attribute("transl_table")) {
            (Some(n), _) => n,
            (None, Some(t)) => t.parse().map_err(|_| {
                fail(
                    first,
                    format!("CDS {key}: transl_table={t} is not a number"),
                )
            })?,
            (None, None) => 1,
        };
        let code = GeneticCode::ncbi(table).ok_or_else(|| {
            fail(
                first,
                format!(
                    "CDS {key}: genetic code {table} is not an NCBI table known here ({:?})",
                    GeneticCode::known_numbers()
                ),
            )
        })?;
        let locus_tag =
            pick("locus_tag").or_else(|| gene.and_then(|g| g.attribute("ID")).map(|id| bare(&id)));
        let pseudo = gene.is_some_and(|g| g.ty == "pseudogene")
            || first.attribute("pseudo").as_deref() == Some("true");
        if let Some(gene) = gene.and_then(|g| g.attribute("ID")) {
            described.insert(gene);
        }
        parsed.features.push((
            Feature {
                contig,
                gene: gene
                    .and_then(|g| g.attribute("Name").or_else(|| g.attribute("gene")))
                    .or_else(|| first.attribute("gene")),
                locus_tag,
                transcript_id: first.attribute("protein_id").unwrap_or_else(|| bare(key)),
                product: first
                    .attribute("product")
                    .or_else(|| gene.and_then(|g| g.attribute("description"))),
                segments,
                biotype: if pseudo {
                    Biotype::NonCoding("pseudogene".into())
                } else {
                    Biotype::ProteinCoding {
                        code,
                        offset: ordered[0].phase,
                    }
                },
                origin: format!("line {}", first.line),
                warnings: Vec::new(),
            },
            None,
        ));
    }
    // Transcripts without a CDS, then genes without any transcript.
    let parents: HashSet<String> = rows.iter().flat_map(Row::parents).collect();
    let mut exons_of: HashMap<String, Vec<&Row>> = HashMap::new();
    for exon in rows.iter().filter(|r| r.ty == "exon") {
        for parent in exon.parents() {
            exons_of.entry(parent).or_default().push(exon);
        }
    }
    for row in &rows {
        let id = row.attribute("ID").unwrap_or_default();
        let is_rna = RNA_TYPES.contains(&row.ty.as_str()) && !coded_parents.contains(&id);
        let is_bare_gene = GENE_TYPES.contains(&row.ty.as_str())
            && !described.contains(&id)
            && !parents.contains(&id);
        if !is_rna && !is_bare_gene {
            continue;
        }
        if let Some(gene) = gene_of(row, &by_id).and_then(|g| g.attribute("ID")) {
            described.insert(gene);
        }
        let contig = reference.find(&row.seqid).unwrap_or(0);
        let strand = row.strand.unwrap_or(Strand::Forward);
        let length = reference.sequence(contig).len() as u64;
        let mut exons: Vec<&Row> = exons_of.get(&id).cloned().unwrap_or_default();
        exons.sort_by_key(|r| r.start);
        if strand == Strand::Reverse {
            exons.reverse();
        }
        let segments = if exons.is_empty() {
            spans(row, strand, length, circular.contains(&contig))
        } else {
            exons
                .iter()
                .flat_map(|e| spans(e, strand, length, circular.contains(&contig)))
                .collect()
        };
        let gene = gene_of(row, &by_id);
        let biotype = row
            .attribute("biotype")
            .or_else(|| row.attribute("gene_biotype"))
            .unwrap_or_else(|| row.ty.clone());
        parsed.features.push((
            Feature {
                contig,
                gene: gene.and_then(|g| g.attribute("Name").or_else(|| g.attribute("gene"))),
                locus_tag: gene.and_then(|g| {
                    g.attribute("locus_tag")
                        .or_else(|| g.attribute("ID").map(|id| bare(&id)))
                }),
                transcript_id: bare(&if id.is_empty() {
                    format!("line {}", row.line)
                } else {
                    id.clone()
                }),
                product: row
                    .attribute("product")
                    .or_else(|| gene.and_then(|g| g.attribute("description"))),
                segments,
                biotype: Biotype::NonCoding(biotype),
                origin: format!("line {}", row.line),
                warnings: Vec::new(),
            },
            None,
        ));
    }
    parsed.circular = circular;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::super::source::ContigSequence;
    use super::*;

    fn reference() -> ReferenceContigs {
        ReferenceContigs {
            contigs: vec![ContigSequence {
                name: "chr".into(),
                sequence: vec![b'A'; 1000],
                circular: false,
            }],
        }
    }

    const REFSEQ: &str = "##gff-version 3\n\
chr\tRefSeq\tregion\t1\t1000\t.\t+\t.\tID=chr:1..1000;Is_circular=true\n\
chr\tRefSeq\tgene\t10\t99\t.\t+\t.\tID=gene-T_1;Name=abc;locus_tag=T_1\n\
chr\tRefSeq\tCDS\t10\t60\t.\t+\t0\tID=cds-P1;Parent=gene-T_1;product=a protein;protein_id=P1;transl_table=11\n\
chr\tRefSeq\tCDS\t60\t99\t.\t+\t0\tID=cds-P1;Parent=gene-T_1;product=a protein;protein_id=P1;transl_table=11\n\
chr\tRefSeq\tgene\t200\t300\t.\t-\t.\tID=gene-T_2;Name=rrsA;locus_tag=T_2\n\
chr\tRefSeq\trRNA\t200\t300\t.\t-\t.\tID=rna-T_2;Parent=gene-T_2;product=16S ribosomal RNA\n\
chr\tRefSeq\texon\t200\t300\t.\t-\t.\tID=exon-T_2-1;Parent=rna-T_2\n";

    #[test]
    fn refseq_genes_get_their_cds_segments_and_rnas() {
        let parsed = features(REFSEQ.as_bytes(), &reference(), "genes.gff3", None).unwrap();
        assert_eq!(parsed.features.len(), 2);
        let cds = &parsed.features[0].0;
        assert_eq!(cds.gene.as_deref(), Some("abc"));
        assert_eq!(cds.locus_tag.as_deref(), Some("T_1"));
        assert_eq!(cds.product.as_deref(), Some("a protein"));
        assert_eq!(cds.segments.len(), 2);
        assert!(matches!(cds.biotype, Biotype::ProteinCoding { code, .. } if code.number == 11));
        let rna = &parsed.features[1].0;
        assert_eq!(rna.biotype, Biotype::NonCoding("rRNA".into()));
        assert_eq!(rna.locus_tag.as_deref(), Some("T_2"));
        assert_eq!(parsed.circular, vec![0]);
    }

    #[test]
    fn ensembl_transcripts_hang_cds_on_the_mrna() {
        let text = "##gff-version 3\n\
chr\tens\tgene\t10\t99\t.\t-\t.\tID=gene:G1;Name=abc;biotype=protein_coding;description=a protein\n\
chr\tens\tmRNA\t10\t99\t.\t-\t.\tID=transcript:T1;Parent=gene:G1\n\
chr\tens\tCDS\t10\t40\t.\t-\t2\tID=CDS:P1;Parent=transcript:T1\n\
chr\tens\tCDS\t50\t99\t.\t-\t0\tID=CDS:P1;Parent=transcript:T1\n";
        let parsed = features(text.as_bytes(), &reference(), "genes.gff3", None).unwrap();
        assert_eq!(parsed.features.len(), 1);
        let cds = &parsed.features[0].0;
        assert_eq!(cds.locus_tag.as_deref(), Some("G1"));
        assert_eq!(cds.segments[0].start, 50);
        assert!(
            matches!(cds.biotype, Biotype::ProteinCoding { offset: 0, code } if code.number == 1)
        );
    }

    #[test]
    fn a_contig_missing_from_the_reference_is_an_error_naming_the_line() {
        let text = "##gff-version 3\nchrX\tRefSeq\tgene\t10\t99\t.\t+\t.\tID=g\n";
        let error = features(text.as_bytes(), &reference(), "genes.gff3", None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "genes.gff3: line 2: contig chrX is not in the reference (it has chr)"
        );
    }
}
