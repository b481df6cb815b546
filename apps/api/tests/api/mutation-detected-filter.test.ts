import type { VariantEffect } from '@helix/native';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTATION_OF_CONCERN_DETECTED } from '../../src/concern/alarm.js';
import type { MutationDetected } from '../../src/pipeline/events.js';
import { bridgePipeline, type PipelineBridge } from '../../src/pubsub/pipeline-bridge.js';
import { type CapturedLog, capturedLog } from '../support/captured-log.js';
import { EVENT_RUN_ID, mutationDetectedEvent } from '../support/pipeline-events.js';
import { queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { evenStrands } from '../support/strands.js';
import { waitFor } from '../support/wait-for.js';
import { type Delivered, type EventLog, sleep, subscribeSse, subscribeWs, wsClient } from './support.js';

const RUN_ID = EVENT_RUN_ID;
const OTHER_RUN_ID = '99999999-2222-4333-8444-555555555555';

function effect(
  gene: string | undefined,
  consequence: VariantEffect['consequence'],
  aminoAcidChange?: string,
): VariantEffect {
  return {
    consequence,
    soTerm: consequence.toLowerCase(),
    impact: consequence === 'MISSENSE' ? 'MODERATE' : 'LOW',
    warnings: [],
    ...(gene !== undefined && { gene }),
    ...(aminoAcidChange !== undefined && { aminoAcidChange }),
  };
}

/** An alarm of a call on M. tuberculosis (`NC_000962.3`) at `position`, 100 of 200 reads alternate. */
function alarm(position: number, overrides: Partial<MutationDetected> = {}): MutationDetected {
  return mutationDetectedEvent(position, {
    sample: 'barcode01',
    contig: 'NC_000962.3',
    ref: 'C',
    alt: 'T',
    depth: 200,
    altCount: 100,
    ...evenStrands(200, 100),
    ...overrides,
  });
}

/** The alarms published, each named by its position. */
const ALARMS: MutationDetected[] = [
  alarm(761155, { effects: [effect('rpoB', 'MISSENSE', 'S450L')] }),
  alarm(761161, { effects: [effect('rpoB', 'SYNONYMOUS', 'L452L')] }),
  alarm(2155168, { alleleFrequency: 0.03, filters: ['StrandBias'], effects: [effect('katG', 'MISSENSE', 'S315T')] }),
  alarm(23403, { contig: 'NC_045512.2', ref: 'A', alt: 'G', effects: [effect('S', 'MISSENSE', 'D614G')] }),
  alarm(4000, { quality: 10, alleleFrequency: 0.9, effects: [effect('dnaA-dnaN', 'INTERGENIC')] }),
  alarm(761156, { runId: OTHER_RUN_ID, effects: [effect('rpoB', 'MISSENSE', 'S450L')] }),
];

/** Matches every subscription below, so once it arrives everything before it has been filtered. */
const LAST = alarm(9999, {
  effects: [effect('rpoB', 'MISSENSE', 'S450L'), effect('S', 'MISSENSE', 'E484K')],
});

const FIELDS = `position effects { gene aminoAcidChange consequence } mutationOfConcern { gene aminoAcidChange label }`;

/** Each subscription, and the positions it must deliver (LAST aside). */
const SUBSCRIPTIONS: { name: string; query: string; positions: number[] }[] = [
  {
    name: 'calls in one gene',
    query: `subscription { mutationDetected(filter: { genes: ["rpoB"] }) { ${FIELDS} } }`,
    positions: [761155, 761161, 761156],
  },
  {
    name: 'missense calls above an allele frequency',
    query: `subscription { mutationDetected(filter: { consequences: [MISSENSE], minAlleleFrequency: 0.05 }) { ${FIELDS} } }`,
    positions: [761155, 23403, 761156],
  },
  {
    name: 'listed mutations of one run',
    query: `subscription { mutationDetected(filter: { runId: "${RUN_ID}", mutationsOfConcernOnly: true }) { ${FIELDS} } }`,
    positions: [761155, 23403],
  },
  {
    name: 'the older runId and minQuality arguments',
    query: `subscription { mutationDetected(runId: "${RUN_ID}", minQuality: 40) { ${FIELDS} } }`,
    positions: [761155, 761161, 2155168, 23403],
  },
  {
    name: 'passing calls of one run',
    query: `subscription { mutationDetected(filter: { runId: "${RUN_ID}", passOnly: true }) { ${FIELDS} } }`,
    positions: [761155, 761161, 23403, 4000],
  },
  {
    name: 'a gene and a consequence together',
    query: `subscription { mutationDetected(filter: { genes: ["S"], consequences: [MISSENSE] }) { ${FIELDS} } }`,
    positions: [23403],
  },
];

interface Alarm {
  mutationDetected: {
    position: number;
    mutationOfConcern: { gene: string; aminoAcidChange: string; label: string | null } | null;
  };
}

const positionsOf = (log: EventLog<Delivered<Alarm>>) =>
  log.events.map((event) => event.data?.mutationDetected.position);

describe('mutationDetected with a filter, and the alarm of a mutation of concern', () => {
  let api: TestServer;
  let log: CapturedLog;
  let bridge: PipelineBridge;
  const clients: Client[] = [];
  const subscribed: {
    name: string;
    transport: string;
    positions: number[];
    log: EventLog<Delivered<Alarm>>;
    stop: () => void;
  }[] = [];

  beforeAll(async () => {
    log = capturedLog();
    api = await startTestServer({ logger: log.logger });
    // The pipeline's own bridge, as `helix serve` wires it: alarms go through it to the pubsub.
    bridge = bridgePipeline({ pubsub: api.pubsub, logger: log.logger, concernAlarm: api.server.concernAlarm });
    for (const input of [
      { gene: 'rpoB', aminoAcidChange: 'S450L', label: 'rifampicin resistance' },
      { gene: 'NC_045512.2', aminoAcidChange: 'A23403G', label: 'spike D614G' },
    ]) {
      await queryData(
        api.url,
        'mutation ($input: AddMutationOfConcernInput!) { addMutationOfConcern(input: $input) { id } }',
        {
          key: testKeys.operator,
          variables: { input },
        },
      );
    }
    for (const subscription of SUBSCRIPTIONS) {
      const client = wsClient(api);
      clients.push(client);
      subscribed.push({ ...subscription, transport: 'graphql-ws', ...subscribeWs<Alarm>(client, subscription.query) });
      const sse = subscribeSse<Alarm>(api.url, subscription.query);
      await sse.response;
      subscribed.push({ ...subscription, transport: 'SSE', ...sse });
    }
    await sleep(200);
    for (const detected of [...ALARMS, LAST]) bridge.observer.mutationDetected?.(detected);
    await Promise.all(
      subscribed.map((subscriber) =>
        subscriber.log.waitFor((event) => event.data?.mutationDetected.position === LAST.position),
      ),
    );
  });

  afterAll(async () => {
    for (const subscriber of subscribed) subscriber.stop();
    await Promise.all(clients.map((client) => client.dispose()));
    bridge?.close();
    await api?.close();
  });

  it.each(
    SUBSCRIPTIONS.flatMap((subscription) => ['graphql-ws', 'SSE'].map((transport) => ({ ...subscription, transport }))),
  )('should deliver exactly the matching alarms for $name over $transport', ({ name, transport, positions }) => {
    const subscriber = subscribed.find((candidate) => candidate.name === name && candidate.transport === transport);
    expect(subscriber?.log.events.every((event) => event.errors === undefined)).toBe(true);
    expect(subscriber && positionsOf(subscriber.log)).toEqual([...positions, LAST.position]);
  });

  it('should carry the entry an alarm matches, by its protein change or its nucleotide change', () => {
    const listed = subscribed.find((candidate) => candidate.name === 'listed mutations of one run');
    const carried = listed?.log.events.map((event) => event.data?.mutationDetected.mutationOfConcern);
    expect(carried).toEqual([
      { gene: 'rpoB', aminoAcidChange: 'S450L', label: 'rifampicin resistance' },
      { gene: 'NC_045512.2', aminoAcidChange: 'A23403G', label: 'spike D614G' },
      { gene: 'rpoB', aminoAcidChange: 'S450L', label: 'rifampicin resistance' },
    ]);
    const all = subscribed.find((candidate) => candidate.name === 'calls in one gene');
    expect(all?.log.events[1]?.data?.mutationDetected.mutationOfConcern).toBeNull();
  });

  it('should log a warn line naming the run, gene, change and label of each listed alarm', async () => {
    await waitFor(() => log.lines(MUTATION_OF_CONCERN_DETECTED).length >= 4, 5_000, 'four alarm lines');
    const lines = log.lines<Record<string, unknown>>(MUTATION_OF_CONCERN_DETECTED);
    expect(lines.map((line) => [line.level, line.position])).toEqual([
      [40, 761155],
      [40, 23403],
      [40, 761156],
      [40, 9999],
    ]);
    expect(lines[1]).toMatchObject({
      runId: RUN_ID,
      contig: 'NC_045512.2',
      gene: 'NC_045512.2',
      aminoAcidChange: 'A23403G',
      label: 'spike D614G',
      msg: MUTATION_OF_CONCERN_DETECTED,
    });
  });

  it('should count each listed alarm by gene and change in /metrics', async () => {
    const scrape = async () => (await fetch(`${api.origin}/metrics`)).text();
    const count = (text: string, gene: string, change: string) =>
      Number(
        text
          .split('\n')
          .find(
            (line) =>
              line.startsWith('helix_mutations_of_concern_detected_total{') &&
              line.includes(`gene="${gene}"`) &&
              line.includes(`amino_acid_change="${change}"`),
          )
          ?.split(' ')[1] ?? 0,
      );
    await waitFor(async () => count(await scrape(), 'rpoB', 'S450L') === 3, 5_000, 'three rpoB S450L alarms counted');
    const text = await scrape();
    expect(count(text, 'NC_045512.2', 'A23403G')).toBe(1);
    expect(count(text, 'katG', 'S315T')).toBe(0);
  });
});
