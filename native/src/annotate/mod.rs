//! Gene annotation of variants: reads GenBank or GFF3 features onto a
//! reference, indexes them, and names what a variant does to each gene
//! (Sequence Ontology consequence, snpEff impact, codon, amino acid, HGVS).

pub mod ann;
mod coding;
mod edit;
pub mod effect;
pub mod feature;
pub mod genbank;
pub mod genetic_code;
pub mod gff;
pub mod gff_row;
pub mod hgvs;
pub mod index;
pub mod json;
pub mod predict;
pub mod protein_context;
pub mod source;
pub mod substitution;
pub mod validate;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use effect::{Consequence, Neighbour, VariantEffect};
use feature::Feature;
use index::{upstream_distance, FeatureIndex};
use predict::{predict, Edit, Prepared};
pub use source::{ContigSequence, ReferenceContigs};

use crate::error::{HelixError, Result};
use crate::files::open_input;

/// Features of an annotation on the reference's contigs, indexed.
#[derive(Debug)]
pub struct Annotation {
    reference: ReferenceContigs,
    features: Vec<Feature>,
    /// Each feature's transcript and protein, in feature order.
    prepared: Vec<Prepared>,
    index: FeatureIndex,
    /// Problems found while reading, each naming the feature and where it is.
    pub warnings: Vec<String>,
}

/// The file formats an annotation may come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// GenBank flat file (`LOCUS` …).
    GenBank,
    /// GFF3 (`##gff-version 3` or tab-separated records).
    Gff3,
}

/// Tells GenBank from GFF3 by the first line that is not blank.
pub fn sniff(path: &Path) -> Result<Format> {
    let input = path.display().to_string();
    let mut reader = BufReader::new(open_input(path)?);
    let mut line = String::new();
    loop {
        line.clear();
        if reader
            .read_line(&mut line)
            .map_err(|e| HelixError::io(path, e))?
            == 0
        {
            return Err(HelixError::format(
                &input,
                "is empty; expected GenBank or GFF3",
            ));
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    if line.starts_with("LOCUS") {
        Ok(Format::GenBank)
    } else if line.starts_with("##gff-version")
        || line.split('\t').count() == 9
        || line.starts_with('#')
    {
        Ok(Format::Gff3)
    } else {
        Err(HelixError::format(
            &input,
            "is neither GenBank (LOCUS …) nor GFF3 (##gff-version 3)",
        ))
    }
}

/// Checks a genetic code number given by the user.
pub fn check_genetic_code(number: u8) -> Result<()> {
    match genetic_code::GeneticCode::ncbi(number) {
        Some(_) => Ok(()),
        None => Err(HelixError::option(
            "geneticCode",
            format!(
                "{number} is not an NCBI table known here ({:?})",
                genetic_code::GeneticCode::known_numbers()
            ),
        )),
    }
}

impl Annotation {
    /// Reads `path` (GenBank or GFF3) onto `reference`; `genetic_code`
    /// overrides every table the file gives.
    pub fn load(
        path: &Path,
        reference: ReferenceContigs,
        genetic_code: Option<u8>,
    ) -> Result<Self> {
        if let Some(number) = genetic_code {
            check_genetic_code(number)?;
        }
        let input = path.display().to_string();
        let parsed = match sniff(path)? {
            Format::GenBank => {
                genbank::features(&genbank::read(path)?, &reference, &input, genetic_code)?
            }
            Format::Gff3 => gff::features(
                BufReader::new(open_input(path)?),
                &reference,
                &input,
                genetic_code,
            )?,
        };
        Self::new(reference, parsed, &input)
    }

    /// Reads GFF3 text (for tests and in-memory sources).
    pub fn from_gff3(
        text: impl Read,
        reference: ReferenceContigs,
        input: &str,
        genetic_code: Option<u8>,
    ) -> Result<Self> {
        let parsed = gff::features(BufReader::new(text), &reference, input, genetic_code)?;
        Self::new(reference, parsed, input)
    }

    fn new(
        mut reference: ReferenceContigs,
        parsed: source::ParsedAnnotation,
        input: &str,
    ) -> Result<Self> {
        for contig in &parsed.circular {
            reference.contigs[*contig].circular = true;
        }
        let mut features = Vec::with_capacity(parsed.features.len());
        let mut prepared = Vec::with_capacity(parsed.features.len());
        let mut warnings = Vec::new();
        for (mut feature, translation) in parsed.features {
            let contig = &reference.contigs[feature.contig];
            validate::check_bounds(&feature, &contig.name, contig.sequence.len() as u64)
                .map_err(|message| HelixError::format(input, message))?;
            // Transcribed and translated once, for checking and for annotating.
            let ready = Prepared::new(&feature, &contig.sequence);
            warnings.extend(
                validate::check_translation(&mut feature, &ready, translation.as_deref())
                    .into_iter()
                    .map(|w| format!("{input}: {w}")),
            );
            features.push(feature);
            prepared.push(ready);
        }
        let shapes: Vec<(u64, bool)> = reference
            .contigs
            .iter()
            .map(|c| (c.sequence.len() as u64, c.circular))
            .collect();
        let index = FeatureIndex::new(&features, &shapes);
        Ok(Annotation {
            prepared,
            reference,
            features,
            index,
            warnings,
        })
    }

    /// Features read, in file order.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// Features with a base in 1-based `from..=to` of `contig`, by first
    /// base; `None` when `contig` is not a contig of the reference.
    pub fn features_within(&self, contig: &str, from: u64, to: u64) -> Option<Vec<&Feature>> {
        let index = self.reference.find(contig)?;
        let mut found: Vec<&Feature> = self
            .features
            .iter()
            .filter(|feature| feature.contig == index)
            .filter(|feature| {
                let (start, end) = feature.span();
                start <= to && end >= from
            })
            .collect();
        found.sort_by_key(|feature| feature.span());
        Some(found)
    }

    /// Effects of a deletion across the origin of circular contig `index`
    /// (`reference` reads on past the contig's end from its start): those of
    /// its two parts, to the contig's end and from its start. `None` for any
    /// other variant.
    fn annotate_across_origin(
        &self,
        index: usize,
        position: u64,
        reference: &[u8],
        alternate: &[u8],
    ) -> Option<Result<Vec<VariantEffect>>> {
        let contig = &self.reference.contigs[index];
        let length = contig.sequence.len();
        let tail = (length + 1).checked_sub(position as usize)?;
        let rest = reference.len().checked_sub(tail)?;
        if !contig.circular || position == 0 || rest == 0 || rest >= length || alternate.len() != 1
        {
            return None;
        }
        let bases = &contig.sequence;
        let mut effects = match self.annotate(&contig.name, position, &reference[..tail], alternate)
        {
            Ok(effects) => effects,
            Err(error) => return Some(Err(error)),
        };
        if !bases[..rest].eq_ignore_ascii_case(&reference[tail..]) {
            return None;
        }
        Some(
            self.annotate(&contig.name, 1, &bases[..=rest], &bases[rest..=rest])
                .map(|start| {
                    effects.extend(start);
                    effects
                }),
        )
    }

    /// Effects of a VCF-style variant (1-based `position`, `reference`
    /// allele with its anchor base for indels) on every gene it touches;
    /// upstream and intergenic effects when it touches none.
    pub fn annotate(
        &self,
        contig: &str,
        position: u64,
        reference: &[u8],
        alternate: &[u8],
    ) -> Result<Vec<VariantEffect>> {
        let index = self.reference.find(contig).ok_or_else(|| {
            HelixError::option(
                "contig",
                format!(
                    "{contig} is not a contig of the annotated reference ({})",
                    self.reference.names()
                ),
            )
        })?;
        let bases = self.reference.sequence(index);
        let end = position + reference.len() as u64 - 1;
        if let Some(effects) = self.annotate_across_origin(index, position, reference, alternate) {
            return effects;
        }
        if position == 0
            || end as usize > bases.len()
            || !bases[position as usize - 1..end as usize].eq_ignore_ascii_case(reference)
        {
            return Err(HelixError::option(
                "ref",
                format!(
                    "{} at {contig}:{position} does not match the reference",
                    String::from_utf8_lossy(reference)
                ),
            ));
        }
        let Some(edit) = Edit::from_vcf(position, reference, alternate) else {
            return Ok(Vec::new());
        };
        let (from, to) = edit.span();
        let mut effects: Vec<VariantEffect> = self
            .index
            .covering(index, from, to)
            .into_iter()
            .filter_map(|number| {
                predict(&self.features[number], &self.prepared[number], bases, &edit)
            })
            .collect();
        let touched = !effects.is_empty();
        let length = bases.len() as u64;
        for number in self.index.upstream_of(index, from, to) {
            let feature = &self.features[number];
            if effects
                .iter()
                .any(|e| e.feature_id.as_deref() == Some(&feature.transcript_id))
            {
                continue;
            }
            let mut effect = described(Consequence::Upstream, feature);
            effect.distance = Some(upstream_distance(feature, from, to, length));
            effects.push(effect);
        }
        // Between the segments of a joined feature (an intron) is not intergenic;
        // the consequences API.md fixes have no term for it, so it gets none.
        if !touched && effects.is_empty() && self.index.between_segments(index, from, to).is_empty()
        {
            effects.push(self.intergenic(index, from, to));
        }
        Ok(effects)
    }

    fn intergenic(&self, contig: usize, from: u64, to: u64) -> VariantEffect {
        let neighbours = self.index.neighbours(contig, from, to);
        let sides: Vec<(&Feature, u64)> = [neighbours.left, neighbours.right]
            .into_iter()
            .flatten()
            .map(|(number, distance)| (&self.features[number], distance))
            .collect();
        let mut effect = VariantEffect::new(Consequence::Intergenic);
        if !sides.is_empty() {
            let join = |name: &dyn Fn(&Feature) -> String| {
                sides
                    .iter()
                    .map(|(f, _)| name(f))
                    .collect::<Vec<_>>()
                    .join("-")
            };
            effect.gene = Some(join(&|f| f.label().to_string()));
            effect.locus_tag = Some(join(&|f| {
                f.locus_tag
                    .clone()
                    .unwrap_or_else(|| f.transcript_id.clone())
            }));
            effect.distance = sides.iter().map(|(_, d)| *d).min();
            effect.neighbours = sides
                .iter()
                .map(|(f, distance)| Neighbour {
                    gene: f.label().to_string(),
                    locus_tag: f.locus_tag.clone(),
                    distance: *distance,
                })
                .collect();
        }
        effect
    }
}

/// An effect naming `feature`, with no change details.
fn described(consequence: Consequence, feature: &Feature) -> VariantEffect {
    let mut effect = VariantEffect::new(consequence);
    effect.gene = Some(feature.label().to_string());
    effect.locus_tag = feature.locus_tag.clone();
    effect.product = feature.product.clone();
    effect.feature_id = Some(feature.transcript_id.clone());
    effect.biotype = Some(match &feature.biotype {
        feature::Biotype::ProteinCoding { .. } => "protein_coding".to_string(),
        feature::Biotype::NonCoding(biotype) => biotype.clone(),
    });
    effect
}

#[cfg(test)]
mod bench;
#[cfg(test)]
mod tests;
