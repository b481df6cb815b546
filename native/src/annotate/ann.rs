//! A variant's `INFO/ANN` value, written where its effects are made: the
//! same text as `annField` in `apps/api/src/annotate/ann-field.ts` (snpEff's
//! 16 fields per effect, most severe first), so a VCF of many calls needs
//! no second pass over their effects in JavaScript.

use std::fmt::Write;

use super::effect::{Consequence, Impact, VariantEffect, Within};

/// snpEff's order of entries: most severe impact first.
fn severity(impact: Impact) -> u8 {
    match impact {
        Impact::High => 0,
        Impact::Moderate => 1,
        Impact::Low => 2,
        Impact::Modifier => 3,
    }
}

/// What JavaScript's `\s` matches: such characters would break the INFO column.
fn is_js_space(character: char) -> bool {
    matches!(
        character,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// Appends `value` with the characters that would break the entry's fields
/// or the INFO column (`| , ; =` and spaces) replaced by `_`.
fn clean(out: &mut String, value: Option<&str>) {
    let Some(value) = value else { return };
    if !value
        .chars()
        .any(|c| matches!(c, '|' | ',' | ';' | '=') || is_js_space(c))
    {
        out.push_str(value);
        return;
    }
    out.extend(value.chars().map(|c| {
        if matches!(c, '|' | ',' | ';' | '=') || is_js_space(c) {
            '_'
        } else {
            c
        }
    }));
}

fn within(out: &mut String, value: Option<Within>) {
    if let Some(Within { position, length }) = value {
        let _ = write!(out, "{position}/{length}");
    }
}

/// Appends one `ANN` entry: the 16 fields joined by `|`.
fn write_entry(out: &mut String, allele: &str, effect: &VariantEffect) {
    let genic = effect.consequence != Consequence::Intergenic;
    out.push_str(allele);
    out.push('|');
    out.push_str(effect.consequence.so_term());
    out.push('|');
    out.push_str(effect.impact().name());
    out.push('|');
    clean(out, effect.gene.as_deref());
    out.push('|');
    clean(out, effect.locus_tag.as_deref());
    out.push('|');
    out.push_str(if genic {
        "transcript"
    } else {
        "intergenic_region"
    });
    out.push('|');
    clean(
        out,
        if genic {
            effect.feature_id.as_deref()
        } else {
            effect.locus_tag.as_deref()
        },
    );
    out.push('|');
    clean(out, effect.biotype.as_deref());
    out.push('|');
    within(out, effect.rank);
    out.push('|');
    clean(out, effect.hgvs_c.as_deref());
    out.push('|');
    clean(out, effect.hgvs_p.as_deref());
    out.push('|');
    within(out, effect.cdna);
    out.push('|');
    within(out, effect.cds);
    out.push('|');
    within(out, effect.protein);
    out.push('|');
    if let Some(distance) = effect.distance {
        let _ = write!(out, "{distance}");
    }
    out.push('|');
    for (number, warning) in effect.warnings.iter().enumerate() {
        if number > 0 {
            out.push('&');
        }
        clean(out, Some(warning));
    }
}

/// Appends the `ANN` value of `effects` for the alternate `allele`: one
/// entry each, most severe first as snpEff orders them (the annotator's
/// order within one impact), joined by `,`; nothing for none.
pub fn write_ann(out: &mut String, allele: &str, effects: &[VariantEffect]) {
    let mut ordered: Vec<&VariantEffect> = effects.iter().collect();
    ordered.sort_by_key(|effect| severity(effect.impact()));
    for (number, effect) in ordered.into_iter().enumerate() {
        if number > 0 {
            out.push(',');
        }
        write_entry(out, allele, effect);
    }
}

#[cfg(test)]
mod tests {
    use super::super::effect::Neighbour;
    use super::*;

    #[test]
    fn entries_go_most_severe_first_with_reserved_characters_replaced() {
        let mut missense = VariantEffect::new(Consequence::Missense);
        missense.gene = Some("rpo B".into());
        missense.feature_id = Some("cds=1".into());
        missense.biotype = Some("protein_coding".into());
        missense.rank = Some(Within {
            position: 1,
            length: 2,
        });
        missense.hgvs_c = Some("c.4A>G".into());
        missense.protein = Some(Within {
            position: 2,
            length: 9,
        });
        missense.warnings = vec!["W1".into(), "W,2".into()];
        let mut intergenic = VariantEffect::new(Consequence::Intergenic);
        intergenic.gene = Some("a-b".into());
        intergenic.locus_tag = Some("A_1-B_1".into());
        intergenic.distance = Some(12);
        intergenic.neighbours = vec![Neighbour {
            gene: "a".into(),
            locus_tag: None,
            distance: 12,
        }];
        let mut out = String::new();
        write_ann(&mut out, "G", &[intergenic, missense]);
        assert_eq!(
            out,
            "G|missense_variant|MODERATE|rpo_B||transcript|cds_1|protein_coding|1/2|c.4A>G||||2/9||W1&W_2,\
             G|intergenic_variant|MODIFIER|a-b|A_1-B_1|intergenic_region|A_1-B_1||||||||12|"
        );
    }

    #[test]
    fn no_effects_write_nothing() {
        let mut out = String::new();
        write_ann(&mut out, "G", &[]);
        assert!(out.is_empty());
    }
}
