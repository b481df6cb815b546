import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ConcernInput } from './change.js';

/** A stored mutation of concern. */
export interface MutationOfConcern {
  id: string;
  /** A gene name (`rpoB`), or a contig name for a nucleotide change. */
  gene: string;
  /** `S450L`, or `A23403G` for a nucleotide change. */
  aminoAcidChange: string;
  label: string | null;
  createdAt: Date;
}

/** The list already holds this gene and change. */
export class DuplicateMutationOfConcernError extends Error {
  override name = 'DuplicateMutationOfConcernError';
  constructor(
    readonly gene: string,
    readonly aminoAcidChange: string,
  ) {
    super(`${gene} ${aminoAcidChange} is already a mutation of concern`);
  }
}

/** What a merge changed. */
export interface MergeOutcome {
  added: number;
  /** Entries already listed whose label was set to the merged one. */
  updated: number;
}

const COLUMNS = `id, gene, amino_acid_change AS "aminoAcidChange", label, created_at AS "createdAt"`;

/** The `mutations_of_concern` table: hand-written SQL over the pool. */
export class MutationOfConcernStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Every entry, by gene then change. */
  async list(): Promise<MutationOfConcern[]> {
    const { rows } = await this.pool.query<MutationOfConcern>(
      `SELECT ${COLUMNS} FROM mutations_of_concern ORDER BY gene, amino_acid_change`,
    );
    return rows;
  }

  /** Stores a new entry; throws {@link DuplicateMutationOfConcernError} if its gene and change are listed. */
  async insert(input: ConcernInput): Promise<MutationOfConcern> {
    const { rows } = await this.pool.query<MutationOfConcern>(
      `INSERT INTO mutations_of_concern (id, gene, amino_acid_change, label) VALUES ($1, $2, $3, $4)
       ON CONFLICT (gene, amino_acid_change) DO NOTHING RETURNING ${COLUMNS}`,
      [randomUUID(), input.gene, input.aminoAcidChange, input.label],
    );
    const inserted = rows[0];
    if (!inserted) throw new DuplicateMutationOfConcernError(input.gene, input.aminoAcidChange);
    return inserted;
  }

  /** Removes the entry with this id; false if there is none. */
  async remove(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM mutations_of_concern WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }

  /** Adds the entries not listed yet and sets the label of those that are, in one statement. */
  async merge(entries: readonly ConcernInput[]): Promise<MergeOutcome> {
    if (entries.length === 0) return { added: 0, updated: 0 };
    // xmax is 0 for a row this statement inserted, and the updating transaction's id otherwise.
    const { rows } = await this.pool.query<{ inserted: boolean }>(
      `INSERT INTO mutations_of_concern AS listed (id, gene, amino_acid_change, label)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (gene, amino_acid_change) DO UPDATE SET label = EXCLUDED.label
         WHERE listed.label IS DISTINCT FROM EXCLUDED.label
       RETURNING (xmax = 0) AS inserted`,
      [
        entries.map(() => randomUUID()),
        entries.map((entry) => entry.gene),
        entries.map((entry) => entry.aminoAcidChange),
        entries.map((entry) => entry.label),
      ],
    );
    const added = rows.filter((row) => row.inserted).length;
    return { added, updated: rows.length - added };
  }
}
