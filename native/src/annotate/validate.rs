//! Checks every feature against its contig when the annotation is read:
//! out-of-bounds segments are errors; a CDS whose length is not a multiple
//! of 3, with internal stops, or without a start codon is flagged.

use super::feature::{Biotype, Feature};
use super::predict::Prepared;

/// A feature that cannot be placed on its contig, as a message naming it.
pub fn check_bounds(feature: &Feature, contig_name: &str, length: u64) -> Result<(), String> {
    for segment in &feature.segments {
        if segment.start == 0 || segment.start > segment.end {
            return Err(format!(
                "{}: feature {} has an empty or reversed range {}..{}",
                feature.origin,
                feature.describe(),
                segment.start,
                segment.end
            ));
        }
        if segment.end > length {
            return Err(format!(
                "{}: feature {} runs off contig {contig_name} (ends at {}, the contig has {length} bases)",
                feature.origin,
                feature.describe(),
                segment.end
            ));
        }
    }
    Ok(())
}

/// Flags a CDS that cannot be translated cleanly, from its transcript and
/// translation as `prepared` holds them (worked out once for annotating);
/// returns human-readable warnings and records snpEff-style flags on the
/// feature.
pub fn check_translation(
    feature: &mut Feature,
    prepared: &Prepared,
    expected: Option<&str>,
) -> Vec<String> {
    let Biotype::ProteinCoding { code, offset } = feature.biotype else {
        return Vec::new();
    };
    let transcript = &prepared.transcript;
    let cds = &transcript[(offset as usize).min(transcript.len())..];
    let protein = &prepared.protein;
    let mut warnings = Vec::new();
    // Named only when there is something to say: most CDSs translate cleanly.
    let name = |feature: &Feature| format!("{}: CDS {}", feature.origin, feature.describe());
    if !cds.len().is_multiple_of(3) {
        warnings.push(format!(
            "{}: length {} is not a multiple of 3; its last partial codon is not translated",
            name(feature),
            cds.len()
        ));
        feature
            .warnings
            .push("WARNING_TRANSCRIPT_INCOMPLETE".into());
    }
    if let Some(stop) = protein.iter().position(|a| *a == b'*') {
        if stop + 1 < protein.len() {
            warnings.push(format!(
                "{}: stop codon at codon {} of {} with genetic code {} (wrong /transl_table or coordinates?)",
                name(feature),
                stop + 1,
                protein.len(),
                code.number
            ));
            feature
                .warnings
                .push("WARNING_TRANSCRIPT_MULTIPLE_STOP_CODONS".into());
        }
    }
    if cds.len() >= 3 && !code.is_start(&cds[..3]) {
        let hint = if code.number == 11 {
            "a partial CDS or wrong coordinates?"
        } else {
            "for bacteria, try --genetic-code 11"
        };
        warnings.push(format!(
            "{}: first codon {} is not a start codon of genetic code {} ({hint})",
            name(feature),
            String::from_utf8_lossy(&cds[..3]),
            code.number
        ));
        feature
            .warnings
            .push("WARNING_TRANSCRIPT_NO_START_CODON".into());
    }
    if let Some(expected) = expected {
        let translated = protein.strip_suffix(b"*").unwrap_or(protein);
        let expected = expected.as_bytes();
        // The first residue may differ (an alternative start read as M or not).
        if translated.len() != expected.len() || translated.get(1..) != expected.get(1..) {
            warnings.push(format!(
                "{}: translation with genetic code {} differs from its /translation",
                name(feature),
                code.number
            ));
            feature
                .warnings
                .push("WARNING_TRANSLATION_DIFFERS_FROM_ANNOTATION".into());
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::super::feature::{Segment, Strand};
    use super::super::genetic_code::GeneticCode;
    use super::*;

    fn cds(end: u64, table: u8) -> Feature {
        let code = GeneticCode::ncbi(table).unwrap();
        let segments = vec![Segment {
            start: 1,
            end,
            strand: Strand::Forward,
        }];
        Feature {
            origin: "line 4".into(),
            ..Feature::example(segments, Biotype::ProteinCoding { code, offset: 0 })
        }
    }

    /// The warnings of `feature` transcribed and translated on `contig`.
    fn checked(feature: &mut Feature, contig: &[u8], expected: &str) -> Vec<String> {
        let prepared = Prepared::new(feature, contig);
        check_translation(feature, &prepared, Some(expected))
    }

    #[test]
    fn a_cds_off_the_contig_is_an_error_naming_it() {
        let message = check_bounds(&cds(30, 11), "chr", 20).unwrap_err();
        assert_eq!(
            message,
            "line 4: feature T_1 (abc) runs off contig chr (ends at 30, the contig has 20 bases)"
        );
    }

    #[test]
    fn a_clean_cds_has_no_warnings() {
        let mut f = cds(12, 11);
        assert!(checked(&mut f, b"ATGAAAGGGTAA", "MKG").is_empty());
        assert!(f.warnings.is_empty());
    }

    #[test]
    fn length_internal_stops_and_translation_mismatches_are_flagged() {
        let mut f = cds(13, 11);
        let warnings = checked(&mut f, b"ATGTGAGGGTAAC", "MWG");
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("line 4: CDS T_1 (abc): length 13 is not a multiple of 3"));
        assert!(warnings[1].contains("stop codon at codon 2"));
        let mut f = cds(12, 4);
        assert!(checked(&mut f, b"ATGTGAGGGTAA", "MWG").is_empty());
    }
}
