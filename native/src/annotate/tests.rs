//! The annotator end to end: files with genes on both strands, a joined
//! CDS, overlapping genes and an RNA gene.

use super::*;

/// 300 bases: gene A (forward, 11..70), gene B (reverse, 61..120, overlaps A),
/// tRNA (151..190), joined CDS C (201..230 + 241..270).
fn contig() -> Vec<u8> {
    let mut bases = b"ACGTTGCAAT".repeat(30);
    let genes: [(usize, &[u8]); 4] = [
        (
            10,
            b"ATGAAAGACCAGTTTGGGCCCAAAGACCAGTTTGGGCCCAAAGACCAGTTTGGGCCCAAAGATTAA",
        ),
        (150, b"GGGCCCAAATTTGGGCCCAAATTTGGGCCCAAATTTGGGC"),
        (200, b"ATGAAAGACCAGTTTGGGCCCAAAGACCAG"),
        (240, b"TTTGGGCCCAAAGACCAGTTTGGGCCCTAA"),
    ];
    for (start, gene) in genes {
        bases[start..start + gene.len()].copy_from_slice(gene);
    }
    bases
}

fn reference() -> ReferenceContigs {
    ReferenceContigs {
        contigs: vec![ContigSequence {
            name: "chr".into(),
            sequence: contig(),
            circular: false,
        }],
    }
}

const GFF: &str = "##gff-version 3\n\
chr\tt\tgene\t11\t76\t.\t+\t.\tID=gene-A;Name=geneA;locus_tag=A_1\n\
chr\tt\tCDS\t11\t76\t.\t+\t0\tID=cds-A;Parent=gene-A;product=protein A;transl_table=11\n\
chr\tt\tgene\t65\t100\t.\t-\t.\tID=gene-B;Name=geneB;locus_tag=B_1\n\
chr\tt\tCDS\t65\t100\t.\t-\t0\tID=cds-B;Parent=gene-B;transl_table=11\n\
chr\tt\tgene\t151\t190\t.\t+\t.\tID=gene-T;Name=tRNA-X;locus_tag=T_1\n\
chr\tt\ttRNA\t151\t190\t.\t+\t.\tID=rna-T;Parent=gene-T;product=tRNA-Gly\n\
chr\tt\tgene\t201\t270\t.\t+\t.\tID=gene-C;Name=geneC;locus_tag=C_1\n\
chr\tt\tCDS\t201\t230\t.\t+\t0\tID=cds-C;Parent=gene-C;transl_table=11\n\
chr\tt\tCDS\t241\t270\t.\t+\t0\tID=cds-C;Parent=gene-C;transl_table=11\n";

fn annotation() -> Annotation {
    Annotation::from_gff3(GFF.as_bytes(), reference(), "genes.gff3", None).unwrap()
}

#[test]
fn a_variant_in_overlapping_genes_has_an_effect_in_each() {
    let a = annotation();
    let bases = contig();
    let position = 70u64;
    let reference = [bases[position as usize - 1]];
    let alternate = if reference == *b"A" { b"C" } else { b"A" };
    let effects = a.annotate("chr", position, &reference, alternate).unwrap();
    let genes: Vec<_> = effects
        .iter()
        .map(|e| {
            (
                e.gene.as_deref().unwrap(),
                e.consequence == Consequence::Upstream,
            )
        })
        .collect();
    // 81 bases before the tRNA too.
    assert_eq!(
        genes,
        [("geneA", false), ("geneB", false), ("tRNA-X", true)]
    );
}

#[test]
fn a_joined_cds_is_translated_across_the_gap() {
    let a = annotation();
    // c.31 is the first base of the second segment (241): TTT → CTT, F11L.
    let effects = a.annotate("chr", 241, b"T", b"C").unwrap();
    assert_eq!(effects[0].amino_acid_change.as_deref(), Some("F11L"));
    assert_eq!(effects[0].hgvs_c.as_deref(), Some("c.31T>C"));
    assert_eq!(
        effects[0].rank.map(|r| (r.position, r.length)),
        Some((2, 2))
    );
    let context = effects[0].protein_context.as_ref().unwrap();
    assert_eq!(
        (
            context.before.as_str(),
            context.residues.as_str(),
            context.after.as_str()
        ),
        ("GPKDQ", "F", "GPKDQ")
    );
}

#[test]
fn rna_genes_upstream_and_intergenic_variants_are_named() {
    let a = annotation();
    let bases = contig();
    let at = |p: u64| [bases[p as usize - 1]];
    let alt = |p: u64| {
        if bases[p as usize - 1] == b'A' {
            *b"C"
        } else {
            *b"A"
        }
    };
    let rna = a.annotate("chr", 160, &at(160), &alt(160)).unwrap();
    assert_eq!(rna[0].consequence, Consequence::NonCoding);
    assert_eq!(
        rna[0].hgvs_c.as_deref(),
        Some(format!("n.10{}>{}", at(160)[0] as char, alt(160)[0] as char).as_str())
    );
    let upstream = a.annotate("chr", 195, &at(195), &alt(195)).unwrap();
    // 6 bases before geneC, and 95 after the end of geneB on the reverse strand.
    let named: Vec<_> = upstream
        .iter()
        .map(|e| (e.consequence, e.gene.as_deref().unwrap(), e.distance))
        .collect();
    assert_eq!(
        named,
        [
            (Consequence::Upstream, "geneB", Some(95)),
            (Consequence::Upstream, "geneC", Some(6))
        ]
    );
    let far = a.annotate("chr", 290, &at(290), &alt(290)).unwrap();
    assert_eq!(far[0].consequence, Consequence::Intergenic);
    assert_eq!(far[0].gene.as_deref(), Some("geneC"));
    assert_eq!(far[0].distance, Some(20));
    assert_eq!(
        far[0].neighbours,
        [effect::Neighbour {
            gene: "geneC".into(),
            locus_tag: Some("C_1".into()),
            distance: 20
        }]
    );
}

#[test]
fn a_wrong_reference_allele_is_an_error() {
    let a = annotation();
    let bases = contig();
    let wrong = if bases[20] == b'A' { b"C" } else { b"A" };
    assert!(a.annotate("chr", 21, wrong, b"G").is_err());
    assert!(a.annotate("chrZ", 21, b"A", b"G").is_err());
}

#[test]
fn a_cds_running_off_the_contig_is_an_error_naming_it() {
    let text = "##gff-version 3\nchr\tt\tCDS\t250\t330\t.\t+\t0\tID=cds-Z;locus_tag=Z_1\n";
    let error = Annotation::from_gff3(text.as_bytes(), reference(), "bad.gff3", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "bad.gff3: line 2: feature Z_1 runs off contig chr (ends at 330, the contig has 300 bases)"
    );
}

#[test]
fn a_cds_not_a_multiple_of_three_is_flagged() {
    let text =
        "##gff-version 3\nchr\tt\tCDS\t11\t75\t.\t+\t0\tID=cds-Z;locus_tag=Z_1;transl_table=11\n";
    let a = Annotation::from_gff3(text.as_bytes(), reference(), "odd.gff3", None).unwrap();
    assert!(
        a.warnings[0].starts_with("odd.gff3: line 2: CDS Z_1: length 65 is not a multiple of 3"),
        "{:?}",
        a.warnings
    );
    let effects = a.annotate("chr", 14, b"A", b"G").unwrap();
    assert!(effects[0]
        .warnings
        .contains(&"WARNING_TRANSCRIPT_INCOMPLETE".to_string()));
}

#[test]
fn the_rel606_fragment_translates_as_its_genbank_file_says() {
    // Read in place from the shared data beside the repository, never copied.
    let path = Path::new("../../shared/data/real/annotation/REL606-fragment.gbk");
    if !path.exists() {
        return;
    }
    let seqs = genbank::read(path).unwrap();
    let contigs = genbank::sequences(&seqs, "REL606").unwrap();
    let a = Annotation::load(path, ReferenceContigs { contigs }, None).unwrap();
    let coding = a
        .features()
        .iter()
        .filter(|f| matches!(f.biotype, feature::Biotype::ProteinCoding { .. }))
        .count();
    // 51 CDS, two of them /pseudo.
    assert_eq!(coding, 49);
    // Only yagX is flagged: the fragment ends inside it.
    assert!(!a.warnings.is_empty());
    assert!(
        a.warnings
            .iter()
            .all(|w| w.contains("CDS ECB_00250 (yagX)")),
        "{:?}",
        a.warnings
    );
}

/// An annotation from GenBank text, its sequence as the reference.
fn from_genbank(text: &str) -> Annotation {
    let seqs = gb_io::reader::parse_slice(text.as_bytes()).unwrap();
    let contigs = genbank::sequences(&seqs, "test.gbk").unwrap();
    let reference = ReferenceContigs { contigs };
    let parsed = genbank::features(&seqs, &reference, "test.gbk", None).unwrap();
    Annotation::new(reference, parsed, "test.gbk").unwrap()
}

fn genbank_text(topology: &str, location: &str, bases: &str) -> String {
    let origin: Vec<String> = bases
        .to_ascii_lowercase()
        .as_bytes()
        .chunks(60)
        .enumerate()
        .map(|(i, line)| {
            let groups: Vec<&str> = line
                .chunks(10)
                .map(|g| std::str::from_utf8(g).unwrap())
                .collect();
            format!("{:>9} {}", i * 60 + 1, groups.join(" "))
        })
        .collect();
    let q = " ".repeat(21);
    [
        format!(
            "LOCUS       tiny {:>20} bp    DNA     {topology} BCT 01-JAN-2026",
            bases.len()
        ),
        "FEATURES             Location/Qualifiers".to_string(),
        format!("     CDS             {location}"),
        format!("{q}/locus_tag=\"W_1\""),
        format!("{q}/transl_table=11"),
        "ORIGIN".to_string(),
        origin.join("\n"),
        "//\n".to_string(),
    ]
    .join("\n")
}

#[test]
fn a_cds_across_the_origin_of_a_circular_contig_is_read_in_one_piece() {
    // ATG AAA CCC GGG TTT TAA: its first 10 bases end the contig, the rest start it.
    let bases = format!("GGTTTTAA{}ATGAAACCCG", "C".repeat(42));
    let a = from_genbank(&genbank_text("circular", "join(51..60,1..8)", &bases));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    let effects = a.annotate("tiny", 3, b"T", b"C").unwrap();
    assert_eq!(effects[0].amino_acid_change.as_deref(), Some("F5L"));
    assert_eq!(effects[0].hgvs_c.as_deref(), Some("c.13T>C"));
}

#[test]
fn a_base_read_twice_by_ribosomal_slippage_is_changed_in_both_codons() {
    // join(1..10,10..17) reads base 10 twice: ATG AAA CCC GGG TTT TAA.
    let bases = format!("ATGAAACCCGGTTTTAA{}", "C".repeat(43));
    let a = from_genbank(&genbank_text("linear", "join(1..10,10..17)", &bases));
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    let effects = a.annotate("tiny", 10, b"G", b"A").unwrap();
    assert_eq!(effects[0].amino_acid_change.as_deref(), Some("G4K"));
    assert_eq!(effects[0].hgvs_c.as_deref(), Some("c.10_11delinsAA"));
}

#[test]
fn a_gff3_cds_past_the_end_of_a_circular_contig_wraps_around() {
    let mut bases = contig();
    let orf = b"ATGAAACCCGGGTTTTAA";
    bases[290..300].copy_from_slice(&orf[..10]);
    bases[..8].copy_from_slice(&orf[10..]);
    let reference = ReferenceContigs {
        contigs: vec![ContigSequence {
            name: "chr".into(),
            sequence: bases,
            circular: false,
        }],
    };
    let text = "##gff-version 3\n\
chr\tt\tregion\t1\t300\t.\t+\t.\tID=chr;Is_circular=true\n\
chr\tt\tCDS\t291\t308\t.\t+\t0\tID=cds-W;locus_tag=W_1;transl_table=11\n";
    let a = Annotation::from_gff3(text.as_bytes(), reference, "wrap.gff3", None).unwrap();
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    assert_eq!(
        a.annotate("chr", 3, b"T", b"C").unwrap()[0]
            .amino_acid_change
            .as_deref(),
        Some("F5L")
    );
}

#[test]
fn an_in_frame_deletion_shows_its_deleted_residues_among_their_neighbours() {
    let a = annotation();
    // geneA's fourth codon, CAG at 20..22, deleted after the C at 19: p.Gln4del.
    let effects = a.annotate("chr", 19, b"CCAG", b"C").unwrap();
    assert_eq!(effects[0].hgvs_p.as_deref(), Some("p.Gln4del"));
    let context = effects[0].protein_context.as_ref().unwrap();
    assert_eq!(
        (
            context.before.as_str(),
            context.residues.as_str(),
            context.after.as_str()
        ),
        ("MKD", "Q", "FGPKD")
    );
}

#[test]
fn features_within_a_stretch_are_listed_by_first_base() {
    let a = annotation();
    let labels = |from, to| -> Vec<String> {
        a.features_within("chr", from, to)
            .unwrap()
            .iter()
            .map(|feature| feature.label().to_string())
            .collect()
    };
    assert_eq!(labels(1, 300), ["geneA", "geneB", "tRNA-X", "geneC"]);
    // The gap of a joined CDS lies within its span.
    assert_eq!(labels(232, 238), ["geneC"]);
    assert_eq!(labels(101, 150), Vec::<String>::new());
    assert!(a.features_within("chrZ", 1, 300).is_none());
}
