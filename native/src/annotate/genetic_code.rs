//! NCBI genetic codes (translation tables): codon → amino acid, and which
//! codons may start a protein.

/// Bases in the order NCBI lists codons: `TTT TTC TTA TTG TCT …`.
const BASE_ORDER: [u8; 4] = [b'T', b'C', b'A', b'G'];

/// NCBI tables as NCBI prints them: amino acids and start codons (`M`) over
/// the 64 codons in [`BASE_ORDER`]. Tables whose stop codons depend on the
/// context (27, 28, 31) are left out: no single translation is right there.
const TABLES: &[(u8, &str, &str)] = &[
    (
        1,
        "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "---M------**--*----M---------------M----------------------------",
    ),
    (
        2,
        "FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIMMTTTTNNKKSS**VVVVAAAADDEEGGGG",
        "----------**--------------------MMMM----------**---M------------",
    ),
    (
        3,
        "FFLLSSSSYY**CCWWTTTTPPPPHHQQRRRRIIMMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "----------**----------------------MM---------------M------------",
    ),
    (
        4,
        "FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "--MM------**-------M------------MMMM---------------M------------",
    ),
    (
        5,
        "FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIMMTTTTNNKKSSSSVVVVAAAADDEEGGGG",
        "---M------**--------------------MMMM---------------M------------",
    ),
    (
        6,
        "FFLLSSSSYYQQCC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "--------------*--------------------M----------------------------",
    ),
    (
        9,
        "FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIIMTTTTNNNKSSSSVVVVAAAADDEEGGGG",
        "----------**-----------------------M---------------M------------",
    ),
    (
        10,
        "FFLLSSSSYY**CCCWLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "----------**-----------------------M----------------------------",
    ),
    (
        11,
        "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "---M------**--*----M------------MMMM---------------M------------",
    ),
    (
        12,
        "FFLLSSSSYY**CC*WLLLSPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "----------**--*----M---------------M----------------------------",
    ),
    (
        13,
        "FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIMMTTTTNNKKSSGGVVVVAAAADDEEGGGG",
        "---M------**----------------------MM---------------M------------",
    ),
    (
        14,
        "FFLLSSSSYYY*CCWWLLLLPPPPHHQQRRRRIIIMTTTTNNNKSSSSVVVVAAAADDEEGGGG",
        "-----------*-----------------------M----------------------------",
    ),
    (
        16,
        "FFLLSSSSYY*LCC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "----------*---*--------------------M----------------------------",
    ),
    (
        21,
        "FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIMMTTTTNNNKSSSSVVVVAAAADDEEGGGG",
        "----------**-----------------------M---------------M------------",
    ),
    (
        22,
        "FFLLSS*SYY*LCC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "------*---*---*--------------------M----------------------------",
    ),
    (
        23,
        "FF*LSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "--*-------**--*-----------------M--M---------------M------------",
    ),
    (
        24,
        "FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSSKVVVVAAAADDEEGGGG",
        "---M------**-------M---------------M---------------M------------",
    ),
    (
        25,
        "FFLLSSSSYY**CCGWLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "---M------**-----------------------M---------------M------------",
    ),
    (
        26,
        "FFLLSSSSYY**CC*WLLLAPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "----------**--*----M---------------M----------------------------",
    ),
    (
        29,
        "FFLLSSSSYYYYCC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "--------------*--------------------M----------------------------",
    ),
    (
        30,
        "FFLLSSSSYYEECC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
        "--------------*--------------------M----------------------------",
    ),
    (
        33,
        "FFLLSSSSYYY*CCWWLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSSKVVVVAAAADDEEGGGG",
        "---M-------*-------M---------------M---------------M------------",
    ),
];

/// One NCBI translation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GeneticCode {
    /// NCBI table number (`/transl_table`).
    pub number: u8,
    amino_acids: &'static [u8],
    starts: &'static [u8],
}

/// Each byte's rank in [`BASE_ORDER`] (either case), [`NOT_A_BASE`] for
/// any other: a table, as a CDS is translated when the annotation is read
/// and each codon's search through the order had cost more than the rest
/// of reading a GFF3.
const BASE_RANK: [u8; 256] = {
    let mut ranks = [NOT_A_BASE; 256];
    let mut rank = 0;
    while rank < BASE_ORDER.len() {
        ranks[BASE_ORDER[rank] as usize] = rank as u8;
        ranks[BASE_ORDER[rank].to_ascii_lowercase() as usize] = rank as u8;
        rank += 1;
    }
    ranks
};
const NOT_A_BASE: u8 = u8::MAX;

/// Index of a codon in NCBI order, `None` when it holds a base other than `ACGT`.
fn codon_index(codon: &[u8]) -> Option<usize> {
    let mut index = 0;
    for base in codon {
        let rank = BASE_RANK[*base as usize];
        if rank == NOT_A_BASE {
            return None;
        }
        index = index * 4 + rank as usize;
    }
    Some(index)
}

impl GeneticCode {
    /// The NCBI table `number`, `None` for a number NCBI does not define (or left out).
    pub fn ncbi(number: u8) -> Option<Self> {
        TABLES
            .iter()
            .find(|(n, _, _)| *n == number)
            .map(|(number, amino_acids, starts)| GeneticCode {
                number: *number,
                amino_acids: amino_acids.as_bytes(),
                starts: starts.as_bytes(),
            })
    }

    /// Table numbers known here, for error messages.
    pub fn known_numbers() -> Vec<u8> {
        TABLES.iter().map(|(n, _, _)| *n).collect()
    }

    /// The amino acid (one letter, `*` for stop) of a codon; `X` when a base is not `ACGT`.
    pub fn translate(&self, codon: &[u8]) -> u8 {
        match codon_index(codon) {
            Some(index) if codon.len() == 3 => self.amino_acids[index],
            _ => b'X',
        }
    }

    /// Whether the codon may start a protein (its first codon is read as `M`).
    pub fn is_start(&self, codon: &[u8]) -> bool {
        codon.len() == 3 && codon_index(codon).is_some_and(|index| self.starts[index] == b'M')
    }

    /// Translates whole codons of `cds` (a trailing partial codon is left out);
    /// a start codon in first place is read as `M`.
    pub fn translate_cds(&self, cds: &[u8]) -> Vec<u8> {
        let mut protein = Vec::with_capacity(cds.len() / 3);
        protein.extend(
            cds.chunks_exact(3)
                .enumerate()
                .map(|(number, codon)| self.translate_codon(number, codon)),
        );
        protein
    }

    /// The amino acid of the 0-based `number`th codon of a CDS: a start
    /// codon in first place is read as `M`.
    pub fn translate_codon(&self, number: usize, codon: &[u8]) -> u8 {
        if number == 0 && self.is_start(codon) {
            b'M'
        } else {
            self.translate(codon)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_code_reads_tga_as_stop_and_the_mycoplasma_code_as_tryptophan() {
        assert_eq!(GeneticCode::ncbi(1).unwrap().translate(b"TGA"), b'*');
        assert_eq!(GeneticCode::ncbi(11).unwrap().translate(b"TGA"), b'*');
        assert_eq!(GeneticCode::ncbi(4).unwrap().translate(b"TGA"), b'W');
    }

    #[test]
    fn codons_translate_in_ncbi_order() {
        let code = GeneticCode::ncbi(11).unwrap();
        assert_eq!(code.translate(b"TTT"), b'F');
        assert_eq!(code.translate(b"ATG"), b'M');
        assert_eq!(code.translate(b"GAC"), b'D');
        assert_eq!(code.translate(b"ggc"), b'G');
        assert_eq!(code.translate(b"GGN"), b'X');
    }

    #[test]
    fn bacterial_alternative_starts_are_read_as_methionine_in_first_place_only() {
        let code = GeneticCode::ncbi(11).unwrap();
        assert!(code.is_start(b"GTG") && code.is_start(b"TTG") && !code.is_start(b"GTA"));
        assert_eq!(code.translate_cds(b"GTGGTGTAA"), b"MV*");
        assert!(!GeneticCode::ncbi(1).unwrap().is_start(b"GTG"));
    }

    #[test]
    fn unknown_table_numbers_are_refused() {
        assert!(GeneticCode::ncbi(7).is_none());
        assert!(GeneticCode::ncbi(27).is_none());
        assert_eq!(GeneticCode::known_numbers().len(), TABLES.len());
    }
}
