/**
 * Interpretations in PostgreSQL: the `interpretation*` columns of `variants`, written with one
 * statement per batch (`unnest` of column arrays), and the pending rows the sweep picks up.
 */
import type { VariantEffect } from '@helix/native';
import type pg from 'pg';
import { type VariantTypeKind, variantSiteKey } from '../pipeline/records.js';
import { AF_MOVE_ABSOLUTE, AF_MOVE_RELATIVE, type CallFigures, DEPTH_MOVE_FACTOR } from './call-figures.js';
import type { InterpretableVariant } from './rules.js';

/** A variant's identity within the database: run, contig, position, ref, alt. */
export type SiteKey = string;

/** The key of a variant's site (tab-separated: contig names may hold colons). */
export function siteKey(variant: Pick<InterpretableVariant, 'runId' | 'contig' | 'position' | 'ref' | 'alt'>): SiteKey {
  return variantSiteKey(variant);
}

/** A stored confirmed variant still waiting for (part of) its interpretation. */
export interface PendingVariant extends InterpretableVariant {
  /** `variants.id` (int8, as text). */
  id: string;
  /** True when the rules' interpretation is stored and only the model's is wanted. */
  hasRules: boolean;
  /** Model answers for it rejected so far. */
  attempts: number;
}

/** The columns of `variants` an {@link InterpretableVariant} is read from, and its id. */
const INTERPRETABLE_COLUMNS = `id, run_id, contig, position, ref, alt, type, genotype, depth, alt_count, allele_frequency,
  quality, forward_ref_count, reverse_ref_count, forward_alt_count, reverse_alt_count, strand_bias, filters, effects`;

interface InterpretableRow {
  id: string;
  run_id: string;
  contig: string;
  position: number;
  ref: string;
  alt: string;
  type: VariantTypeKind;
  genotype: string | null;
  depth: number;
  alt_count: number;
  allele_frequency: number;
  quality: number;
  forward_ref_count: number;
  reverse_ref_count: number;
  forward_alt_count: number;
  reverse_alt_count: number;
  strand_bias: number | null;
  /** Null in rows stored before filters were. */
  filters: string[] | null;
  effects: VariantEffect[];
}

interface PendingRow extends InterpretableRow {
  has_rules: boolean;
  attempts: number;
}

interface MovedRow extends InterpretableRow {
  source: string;
  state: InterpretationState;
  basis: CallFigures;
}

/** Where a variant's interpretation stands (`variants.interpretation_state`). */
export type InterpretationState = 'PENDING' | 'DONE' | 'REJECTED';

/** A confirmed, interpreted variant whose call moved since its interpretation was written. */
export interface MovedVariant extends InterpretableVariant {
  /** `variants.id` (int8, as text). */
  id: string;
  /** `rules` or the model's name. */
  source: string;
  state: InterpretationState;
  /** The figures its rules' text was written for. */
  basis: CallFigures;
}

/** Reads and writes the interpretation columns of `variants`. */
export class InterpretationStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Stores rules' interpretations of variants that have none yet; `final` marks them done (no model
   * is configured) rather than pending for the model.
   * @returns the rows found, by site key: their id, whether this call wrote them (`written`), and
   *   whether they still wait (`pending`). Variants not in the table yet are absent.
   */
  async writeRules(
    rows: { variant: InterpretableVariant; interpretation: object }[],
    final: boolean,
  ): Promise<Map<SiteKey, { id: string; written: boolean; pending: boolean }>> {
    const found = new Map<SiteKey, { id: string; written: boolean; pending: boolean }>();
    if (rows.length === 0) return found;
    const result = await this.pool.query<{
      id: string;
      run_id: string;
      contig: string;
      position: number;
      ref: string;
      alt: string;
      written: boolean;
      pending: boolean;
    }>(
      `WITH incoming AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::jsonb[])
           AS u(run_id, contig, position, ref, alt, interpretation)
       ), matched AS (
         SELECT v.id, v.interpretation IS NULL AS fresh, v.interpretation_state, i.*
         FROM variants v JOIN incoming i ON v.run_id = i.run_id AND v.contig = i.contig
           AND v.position = i.position AND v.ref = i.ref AND v.alt = i.alt
       ), updated AS (
         UPDATE variants AS v SET interpretation = m.interpretation, interpretation_source = 'rules',
           interpreted_at = now(), interpretation_state = $7::"InterpretationState"
         FROM matched m WHERE v.id = m.id AND m.fresh AND v.interpretation IS NULL
         RETURNING v.id
       )
       SELECT m.id, m.run_id, m.contig, m.position, m.ref, m.alt,
         (u.id IS NOT NULL) AS written,
         CASE WHEN u.id IS NOT NULL THEN $7::"InterpretationState" = 'PENDING' ELSE m.interpretation_state = 'PENDING' END AS pending
       FROM matched m LEFT JOIN updated u ON u.id = m.id`,
      [
        rows.map((row) => row.variant.runId),
        rows.map((row) => row.variant.contig),
        rows.map((row) => row.variant.position),
        rows.map((row) => row.variant.ref),
        rows.map((row) => row.variant.alt),
        rows.map((row) => JSON.stringify(row.interpretation)),
        final ? 'DONE' : 'PENDING',
      ],
    );
    for (const row of result.rows) {
      const key = siteKey({
        runId: row.run_id,
        contig: row.contig,
        position: row.position,
        ref: row.ref,
        alt: row.alt,
      });
      found.set(key, { id: row.id, written: row.written, pending: row.pending });
    }
    return found;
  }

  /** Stores the model's interpretations (by row id) as final, with `source` = the model's name. */
  async writeModel(model: string, rows: { id: string; interpretation: object }[]): Promise<number> {
    if (rows.length === 0) return 0;
    const result = await this.pool.query(
      `UPDATE variants AS v SET interpretation = u.interpretation, interpretation_source = $3,
         interpreted_at = now(), interpretation_state = 'DONE'
       FROM unnest($1::int8[], $2::jsonb[]) AS u(id, interpretation)
       WHERE v.id = u.id`,
      [rows.map((row) => row.id), rows.map((row) => JSON.stringify(row.interpretation)), model],
    );
    return result.rowCount ?? 0;
  }

  /**
   * Counts a rejected model answer against each variant; a variant rejected `maxAttempts` times
   * is marked REJECTED (its rules' interpretation stays).
   * @returns the ids now rejected for good.
   */
  async recordRejections(ids: string[], maxAttempts: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string; state: string }>(
      `UPDATE variants SET interpretation_attempts = interpretation_attempts + 1,
         interpretation_state = CASE WHEN interpretation_attempts + 1 >= $2 THEN 'REJECTED'::"InterpretationState"
           ELSE interpretation_state END
       WHERE id = ANY($1::int8[])
       RETURNING id, interpretation_state AS state`,
      [ids, maxAttempts],
    );
    return rows.filter((row) => row.state === 'REJECTED').map((row) => row.id);
  }

  /**
   * Confirmed variants still pending, oldest first from `afterId` on: those without any
   * interpretation, and (when `withRules`) those whose rules are stored and want the model's.
   */
  async pending(limit: number, afterId: string, withRules: boolean): Promise<PendingVariant[]> {
    const { rows } = await this.pool.query<PendingRow>(
      `SELECT ${INTERPRETABLE_COLUMNS},
         interpretation IS NOT NULL AS has_rules, interpretation_attempts AS attempts
       FROM variants
       WHERE interpretation_state = 'PENDING' AND status = 'CONFIRMED' AND id > $2::int8
         AND ($3 OR interpretation IS NULL)
       ORDER BY id
       LIMIT $1`,
      [limit, afterId, withRules],
    );
    return rows.map((row) => ({
      id: row.id,
      ...interpretableOf(row),
      hasRules: row.has_rules,
      attempts: row.attempts,
    }));
  }

  /**
   * Confirmed, interpreted variants of `runIds` whose call has moved materially (see
   * {@link AF_MOVE_ABSOLUTE}, {@link AF_MOVE_RELATIVE}, {@link DEPTH_MOVE_FACTOR}; genotype or
   * filters changed) since the figures their rules' text was written for (`writtenFor`, or
   * `rules.writtenFor` beside a model's text), oldest first from `afterId` on.
   */
  async moved(runIds: string[], limit: number, afterId: string): Promise<MovedVariant[]> {
    if (runIds.length === 0) return [];
    const { rows } = await this.pool.query<MovedRow>(
      `SELECT ${INTERPRETABLE_COLUMNS}, source, state, basis FROM (
         SELECT *, interpretation_source AS source, interpretation_state AS state,
           COALESCE(interpretation -> 'rules' -> 'writtenFor', interpretation -> 'writtenFor') AS basis
         FROM variants
         WHERE run_id = ANY($1::uuid[]) AND status = 'CONFIRMED' AND interpretation ? 'writtenFor' AND id > $2::int8
       ) AS interpreted
       WHERE abs(allele_frequency - (basis ->> 'alleleFrequency')::float8) >= $4
         OR abs(allele_frequency - (basis ->> 'alleleFrequency')::float8) >= $5 * (basis ->> 'alleleFrequency')::float8
         OR depth >= $6 * (basis ->> 'depth')::int OR depth * $6 <= (basis ->> 'depth')::int
         OR genotype IS DISTINCT FROM basis ->> 'genotype'
         OR to_jsonb(COALESCE(filters, '{}'::text[])) <> COALESCE(basis -> 'filters', '[]'::jsonb)
       ORDER BY id
       LIMIT $3`,
      [runIds, afterId, limit, AF_MOVE_ABSOLUTE, AF_MOVE_RELATIVE, DEPTH_MOVE_FACTOR],
    );
    return rows.map((row) => ({
      id: row.id,
      ...interpretableOf(row),
      source: row.source,
      state: row.state,
      basis: row.basis,
    }));
  }

  /**
   * Replaces interpretations by the rules' (rewritten for the call as it stands), each only while
   * its row still has the `source` and `state` it was read with; `reask` puts it back PENDING for
   * the model, its attempts forgotten.
   * @returns the ids rewritten.
   */
  async rewriteRules(
    rows: { id: string; interpretation: object; source: string; state: InterpretationState; reask: boolean }[],
  ): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const result = await this.pool.query<{ id: string }>(
      `UPDATE variants AS v SET interpretation = u.interpretation, interpretation_source = 'rules',
         interpreted_at = now(),
         interpretation_state = CASE WHEN u.reask THEN 'PENDING'::"InterpretationState" ELSE v.interpretation_state END,
         interpretation_attempts = CASE WHEN u.reask THEN 0 ELSE v.interpretation_attempts END
       FROM unnest($1::int8[], $2::jsonb[], $3::text[], $4::text[], $5::bool[]) AS u(id, interpretation, source, state, reask)
       WHERE v.id = u.id AND v.interpretation_source = u.source AND v.interpretation_state::text = u.state
       RETURNING v.id`,
      [
        rows.map((row) => row.id),
        rows.map((row) => JSON.stringify(row.interpretation)),
        rows.map((row) => row.source),
        rows.map((row) => row.state),
        rows.map((row) => row.reask),
      ],
    );
    return new Set(result.rows.map((row) => row.id));
  }

  /**
   * Replaces the rules' interpretation a kept model interpretation carries (`rules`), each only
   * while its row still has the `source` it was read with; the model's own text and `writtenFor` stay.
   * @returns the interpretations now stored, by id.
   */
  async rewriteModelRules(rows: { id: string; source: string; rules: object }[]): Promise<Map<string, object>> {
    if (rows.length === 0) return new Map();
    const result = await this.pool.query<{ id: string; interpretation: object }>(
      `UPDATE variants AS v SET interpretation = jsonb_set(v.interpretation, '{rules}', u.rules)
       FROM unnest($1::int8[], $2::jsonb[], $3::text[]) AS u(id, rules, source)
       WHERE v.id = u.id AND v.interpretation_source = u.source
       RETURNING v.id, v.interpretation`,
      [rows.map((row) => row.id), rows.map((row) => JSON.stringify(row.rules)), rows.map((row) => row.source)],
    );
    return new Map(result.rows.map((row) => [row.id, row.interpretation]));
  }

  /** Confirmed variants whose interpretation is still pending (rules or model). */
  async countPending(): Promise<number> {
    const { rows } = await this.pool.query<{ pending: string }>(
      `SELECT count(*) AS pending FROM variants WHERE interpretation_state = 'PENDING' AND status = 'CONFIRMED'`,
    );
    return Number(rows[0]?.pending ?? 0);
  }
}

/** The variant a row of {@link INTERPRETABLE_COLUMNS} holds. */
function interpretableOf(row: InterpretableRow): InterpretableVariant {
  return {
    runId: row.run_id,
    contig: row.contig,
    position: row.position,
    ref: row.ref,
    alt: row.alt,
    type: row.type,
    genotype: row.genotype,
    depth: row.depth,
    altCount: row.alt_count,
    alleleFrequency: row.allele_frequency,
    quality: row.quality,
    forwardRefCount: row.forward_ref_count,
    reverseRefCount: row.reverse_ref_count,
    forwardAltCount: row.forward_alt_count,
    reverseAltCount: row.reverse_alt_count,
    strandBias: row.strand_bias,
    ...(row.filters ? { filters: row.filters } : {}),
    effects: row.effects,
  };
}
