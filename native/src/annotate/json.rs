//! Effects as JSON text shaped like the Node binding's `VariantEffect`
//! objects (camelCase names, absent fields left out), so many calls cross to
//! JavaScript as one string and one `JSON.parse` rather than one property
//! set per field; their keys come in PostgreSQL `jsonb`'s order, so the same
//! text is stored as it is.

use std::fmt::Write;

use super::effect::{VariantEffect, Within};

/// Appends `text` as a JSON string.
fn string(out: &mut String, text: &str) {
    out.push('"');
    if !text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(text);
        out.push('"');
        return;
    }
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `,"name":` (the comma only after the object's first field).
fn key(out: &mut String, name: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
}

fn text_field(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        key(out, name);
        string(out, value);
    }
}

fn within_field(out: &mut String, name: &str, value: Option<Within>) {
    if let Some(Within { position, length }) = value {
        key(out, name);
        let _ = write!(out, "{{\"length\":{length},\"position\":{position}}}");
    }
}

/// Appends one effect as a JSON object, its keys in the order PostgreSQL's
/// `jsonb` keeps them (shorter keys first, then bytewise): stored as they
/// come, PostgreSQL reads them a fifth faster than when it must sort them.
pub fn write_effect(out: &mut String, effect: &VariantEffect) {
    out.push('{');
    within_field(out, "cds", effect.cds);
    within_field(out, "cdna", effect.cdna);
    text_field(out, "gene", effect.gene.as_deref());
    within_field(out, "rank", effect.rank);
    text_field(out, "hgvsC", effect.hgvs_c.as_deref());
    text_field(out, "hgvsP", effect.hgvs_p.as_deref());
    key(out, "impact");
    string(out, effect.impact().name());
    key(out, "soTerm");
    string(out, effect.consequence.so_term());
    text_field(out, "biotype", effect.biotype.as_deref());
    text_field(out, "product", effect.product.as_deref());
    within_field(out, "protein", effect.protein);
    if let Some(distance) = effect.distance {
        key(out, "distance");
        let _ = write!(out, "{distance}");
    }
    text_field(out, "locusTag", effect.locus_tag.as_deref());
    key(out, "warnings");
    out.push('[');
    for (number, warning) in effect.warnings.iter().enumerate() {
        if number > 0 {
            out.push(',');
        }
        string(out, warning);
    }
    out.push(']');
    text_field(out, "featureId", effect.feature_id.as_deref());
    if !effect.neighbours.is_empty() {
        key(out, "neighbours");
        out.push('[');
        for (number, neighbour) in effect.neighbours.iter().enumerate() {
            if number > 0 {
                out.push(',');
            }
            out.push('{');
            text_field(out, "gene", Some(&neighbour.gene));
            key(out, "distance");
            let _ = write!(out, "{}", neighbour.distance);
            text_field(out, "locusTag", neighbour.locus_tag.as_deref());
            out.push('}');
        }
        out.push(']');
    }
    text_field(out, "codonChange", effect.codon_change.as_deref());
    key(out, "consequence");
    string(out, effect.consequence.name());
    if let Some(context) = &effect.protein_context {
        key(out, "proteinContext");
        out.push('{');
        text_field(out, "after", Some(&context.after));
        text_field(out, "before", Some(&context.before));
        text_field(out, "residues", Some(&context.residues));
        out.push('}');
    }
    text_field(out, "aminoAcidChange", effect.amino_acid_change.as_deref());
    out.push('}');
}

/// Appends effects as a JSON array.
pub fn write_effects(out: &mut String, effects: &[VariantEffect]) {
    out.push('[');
    for (number, effect) in effects.iter().enumerate() {
        if number > 0 {
            out.push(',');
        }
        write_effect(out, effect);
    }
    out.push(']');
}

/// Appends `text` as a JSON string (for error messages beside effects).
pub fn write_string(out: &mut String, text: &str) {
    string(out, text);
}

#[cfg(test)]
mod tests {
    use super::super::effect::{Consequence, Neighbour, Within};
    use super::*;

    #[test]
    fn an_effect_writes_its_keys_in_jsonb_order() {
        let mut effect = VariantEffect::new(Consequence::Missense);
        let within = Some(Within {
            position: 2,
            length: 9,
        });
        (effect.cds, effect.cdna, effect.protein, effect.rank) = (within, within, within, within);
        for field in [
            &mut effect.gene,
            &mut effect.locus_tag,
            &mut effect.product,
            &mut effect.feature_id,
            &mut effect.biotype,
            &mut effect.codon_change,
            &mut effect.amino_acid_change,
            &mut effect.hgvs_c,
            &mut effect.hgvs_p,
        ] {
            *field = Some("x".into());
        }
        effect.distance = Some(3);
        effect.protein_context = Some(super::super::protein_context::ProteinContext {
            before: "A".into(),
            residues: "B".into(),
            after: "C".into(),
        });
        effect.neighbours = vec![Neighbour {
            gene: "d".into(),
            locus_tag: Some("e".into()),
            distance: 1,
        }];
        let mut out = String::new();
        write_effect(&mut out, &effect);
        // Each object's keys, in the order written: `{` opens one, `}` closes it.
        let mut objects: Vec<Vec<String>> = Vec::new();
        let mut open: Vec<Vec<String>> = Vec::new();
        let mut rest = out.as_str();
        while let Some(at) = rest.find(['{', '}', '"']) {
            let tail = &rest[at..];
            match tail.as_bytes()[0] {
                b'{' => open.push(Vec::new()),
                b'}' => objects.extend(open.pop()),
                _ => {
                    let end = tail[1..].find('"').expect("a closed string") + 1;
                    if tail[end + 1..].starts_with(':') {
                        open.last_mut()
                            .expect("a key in an object")
                            .push(tail[1..end].to_string());
                    }
                    rest = &tail[end + 1..];
                    continue;
                }
            }
            rest = &tail[1..];
        }
        assert_eq!(objects.len(), 7, "{out}");
        assert_eq!(objects.last().map(Vec::len), Some(20), "{out}");
        for keys in objects {
            let mut sorted = keys.clone();
            sorted.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            assert_eq!(keys, sorted);
        }
    }

    #[test]
    fn an_effect_writes_its_set_fields_only_and_escapes_its_text() {
        let mut effect = VariantEffect::new(Consequence::Intergenic);
        effect.gene = Some("a\"b\\c\u{1}-d".into());
        effect.distance = Some(12);
        effect.neighbours = vec![Neighbour {
            gene: "d".into(),
            locus_tag: None,
            distance: 12,
        }];
        let mut out = String::new();
        write_effects(&mut out, &[effect]);
        assert_eq!(
            out,
            r#"[{"gene":"a\"b\\c\u0001-d","impact":"MODIFIER","soTerm":"intergenic_variant","distance":12,"warnings":[],"neighbours":[{"gene":"d","distance":12}],"consequence":"INTERGENIC"}]"#
        );
    }
}
