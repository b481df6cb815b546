import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InterpretationStore, siteKey } from '../../src/interpret/interpretation-store.js';
import {
  type ModelDestination,
  PendingSweep,
  type PendingSweepOptions,
  type RulesDestination,
} from '../../src/interpret/pending-sweep.js';
import type { RulesOrigin } from '../../src/interpret/rules-writer.js';
import { type Plumbing, plumbingOver, poolOfMissingDatabase, storeWithRules } from './support/parts.js';
import { confirmedVariants, createRun, openTestDatabase, type TestDatabase, waitFor } from './support/scenario.js';

let database: TestDatabase;
let plumbing: Plumbing;
const sweeps: PendingSweep[] = [];

beforeEach(async () => {
  database = await openTestDatabase();
  plumbing = plumbingOver(database.pool);
});

afterEach(async () => {
  for (const sweep of sweeps.splice(0)) await sweep.stop();
  await database.close();
});

/** A destination that records what it is handed and holds the keys the test says. */
function rulesDestination(): RulesDestination & {
  taken: { position: number; origin: RulesOrigin }[];
  held: Set<string>;
} {
  const taken: { position: number; origin: RulesOrigin }[] = [];
  const held = new Set<string>();
  return {
    taken,
    held,
    holds: (key) => held.has(key),
    offer: (variant, origin) => taken.push({ position: variant.position, origin }),
  };
}

function modelDestination(): ModelDestination & { taken: string[]; held: Set<string>; accepting: boolean } {
  const taken: string[] = [];
  const held = new Set<string>();
  return { taken, held, accepting: true, holds: (key) => held.has(key), offer: (id) => taken.push(id) };
}

function pendingSweep(options: Partial<PendingSweepOptions> & Pick<PendingSweepOptions, 'rules'>): PendingSweep {
  const sweep = new PendingSweep({ ...plumbing, model: undefined, intervalMs: 60_000, limit: 500, ...options });
  sweeps.push(sweep);
  return sweep;
}

describe('what the sweep finds', () => {
  it('should hand variants stored without interpretation to the rules writer, to be tried once', async () => {
    const rules = rulesDestination();
    const sweep = pendingSweep({ rules });
    const runId = await createRun(database);
    const variants = confirmedVariants(runId, 3);
    await database.store.upsertVariants(variants);
    await sweep.sweep();
    expect(rules.taken).toEqual(variants.map((variant) => ({ position: variant.position, origin: 'stored' })));
  });

  it('should hand variants whose rules are stored to the model only while it accepts work', async () => {
    const rules = rulesDestination();
    const model = modelDestination();
    const sweep = pendingSweep({ rules, model });
    const runId = await createRun(database);
    const stored = await storeWithRules(database, plumbing, confirmedVariants(runId, 3));
    model.accepting = false;
    await sweep.sweep();
    expect(model.taken).toEqual([]);
    model.accepting = true;
    await sweep.sweep();
    expect(model.taken).toEqual(stored.map((entry) => entry.id));
    expect(rules.taken).toEqual([]);
  });

  it('should leave alone the variants a writer still holds', async () => {
    const rules = rulesDestination();
    const model = modelDestination();
    const sweep = pendingSweep({ rules, model });
    const runId = await createRun(database);
    const [withRules, heldByModel] = await storeWithRules(database, plumbing, confirmedVariants(runId, 2));
    const [heldByRules, fresh] = confirmedVariants(runId, 2, 20_000);
    if (!withRules || !heldByModel || !heldByRules || !fresh) throw new Error('four variants expected');
    await database.store.upsertVariants([heldByRules, fresh]);
    model.held.add(siteKey(heldByModel.variant));
    rules.held.add(siteKey(heldByRules));
    await sweep.sweep();
    expect(model.taken).toEqual([withRules.id]);
    expect(rules.taken.map((entry) => entry.position)).toEqual([fresh.position]);
  });

  it('should walk the pending variants a slice per sweep and start over at the end', async () => {
    const rules = rulesDestination();
    const sweep = pendingSweep({ rules, limit: 2 });
    const runId = await createRun(database);
    const variants = confirmedVariants(runId, 5);
    await database.store.upsertVariants(variants);
    const slices: number[][] = [];
    for (let round = 0; round < 4; round += 1) {
      rules.taken.length = 0;
      await sweep.sweep();
      slices.push(rules.taken.map((entry) => variants.findIndex((variant) => variant.position === entry.position)));
    }
    expect(slices).toEqual([[0, 1], [2, 3], [4], [0, 1]]);
  });
});

describe('the pending count', () => {
  it("should replace the running count with the database's at every sweep", async () => {
    const sweep = pendingSweep({ rules: rulesDestination() });
    const runId = await createRun(database);
    await database.store.upsertVariants(confirmedVariants(runId, 7));
    for (let announced = 0; announced < 3; announced += 1) plumbing.pending.detected();
    await sweep.sweep();
    expect(plumbing.pending.value).toBe(7);
  });
});

describe('when the sweep runs', () => {
  it('should sweep at start and every interval, and no more once stopped', async () => {
    const rules = rulesDestination();
    const sweep = pendingSweep({ rules, intervalMs: 50 });
    const runId = await createRun(database);
    await database.store.upsertVariants(confirmedVariants(runId, 1));
    await sweep.start();
    expect(rules.taken).toHaveLength(1);
    await waitFor(() => rules.taken.length >= 3, 5_000, 'two more sweeps');
    await sweep.stop();
    const swept = rules.taken.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rules.taken).toHaveLength(swept);
  });

  it('should join a sweep under way rather than start a second', async () => {
    const rules = rulesDestination();
    const sweep = pendingSweep({ rules });
    const runId = await createRun(database);
    await database.store.upsertVariants(confirmedVariants(runId, 2));
    const first = sweep.sweep();
    expect(sweep.sweep()).toBe(first);
    await first;
    expect(rules.taken).toHaveLength(2);
  });

  it('should log a failed look-up once and not throw', async () => {
    const missing = poolOfMissingDatabase();
    try {
      const sweep = pendingSweep({ rules: rulesDestination(), store: new InterpretationStore(missing) });
      await sweep.sweep();
      await sweep.sweep();
      expect(plumbing.lines.map((line) => line.msg)).toEqual(['looking for pending interpretations failed']);
    } finally {
      await missing.end();
    }
  });
});
