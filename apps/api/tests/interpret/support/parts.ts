/** What each part of the interpretation service is built with, over a test database. */
import pg from 'pg';
import { poolConfigFromUrl } from '../../../src/db/pool.js';
import { InterpretationStore, siteKey } from '../../../src/interpret/interpretation-store.js';
import { InterpretationListeners, type VariantInterpreted } from '../../../src/interpret/interpreted-event.js';
import { PendingCount } from '../../../src/interpret/pending-count.js';
import { RunReferenceContext } from '../../../src/interpret/reference-context.js';
import type { InterpretableVariant } from '../../../src/interpret/rules.js';
import { rulesInContext } from '../../../src/interpret/rules-in-context.js';
import { WriteWarning } from '../../../src/interpret/write-warning.js';
import type { Logger } from '../../../src/logger.js';
import type { VariantRecord } from '../../../src/pipeline/records.js';
import { serverUrl } from '../../support/database.js';
import { capturingLogger, type TestDatabase } from './scenario.js';

/** The plumbing the parts share, with the events and log lines they produced. */
export interface Plumbing {
  store: InterpretationStore;
  referenceContext: RunReferenceContext;
  listeners: InterpretationListeners;
  pending: PendingCount;
  warning: WriteWarning;
  logger: Logger;
  /** Every interpretation announced, in order. */
  events: VariantInterpreted[];
  /** Every log line, parsed. */
  lines: Record<string, unknown>[];
}

/** Fresh plumbing over `pool`. */
export function plumbingOver(pool: pg.Pool): Plumbing {
  const { logger, lines } = capturingLogger();
  const listeners = new InterpretationListeners(logger);
  const events: VariantInterpreted[] = [];
  listeners.add((event) => events.push(event));
  return {
    store: new InterpretationStore(pool),
    referenceContext: new RunReferenceContext({ pool, logger }),
    listeners,
    pending: new PendingCount(),
    warning: new WriteWarning(logger),
    logger,
    events,
    lines,
  };
}

/** A stored variant: its row id beside it. */
export interface StoredVariant {
  id: string;
  variant: InterpretableVariant;
}

/**
 * Stores `variants` as the sink does and their rules' interpretation as the rules writer does,
 * pending for the model; returns them with their row ids, in order.
 */
export async function storeWithRules(
  database: TestDatabase,
  plumbing: Plumbing,
  variants: VariantRecord[],
): Promise<StoredVariant[]> {
  await database.store.upsertVariants(variants);
  const rows = await Promise.all(
    variants.map(async (variant) => ({
      variant,
      interpretation: (await rulesInContext(plumbing.referenceContext, variant)).rules,
    })),
  );
  const found = await plumbing.store.writeRules(rows, false);
  return variants.map((variant) => {
    const stored = found.get(siteKey(variant));
    if (!stored) throw new Error(`variant at ${variant.position} was not stored`);
    return { id: stored.id, variant };
  });
}

/** A pool on the test server naming a database that does not exist: every query fails. */
export function poolOfMissingDatabase(): pg.Pool {
  const url = new URL(serverUrl());
  url.pathname = '/helix_test_no_such_database';
  return new pg.Pool({ ...poolConfigFromUrl(url.toString()), max: 1 });
}
