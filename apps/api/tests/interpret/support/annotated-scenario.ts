/** The scaffold of interpretation tests over the annotated genome, with a local Groq API. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  createInterpretationService,
  type InterpretationService,
  type InterpretationTuning,
} from '../../../src/interpret/service.js';
import { BASES } from '../../annotate/test-genome.js';
import { type AnnotatedGenome, annotatedGenome, CONTIG } from './annotated-genome.js';
import { type FakeGroq, startFakeGroq } from './fake-groq.js';
import { capturingLogger, openTestDatabase, type TestDatabase } from './scenario.js';

/** The model the scenario's service asks. */
export const SCENARIO_MODEL = 'llama-3.3-70b-versatile';

/** Short waits and timeouts, no retries, no timed sweep: quick enough for tests. */
const QUICK: Partial<InterpretationTuning> = {
  rulesFlushMs: 20,
  batchLingerMs: 30,
  sweepIntervalMs: 60_000,
  maxRetries: 0,
  timeoutMs: 2_000,
};

/** What each test of an {@link useAnnotatedScenario} file works with (fresh per test, but the genome). */
export interface AnnotatedScenario {
  /** The annotated genome's files, written once for the file. */
  readonly genome: AnnotatedGenome;
  /** A migrated scratch database of the test's own. */
  readonly database: TestDatabase;
  /** The local Groq API the service talks to. */
  readonly fake: FakeGroq;
  /** Starts the interpretation service (stopped after the test); without the model when `model` is false. */
  startService(options?: { model?: boolean; tuning?: Partial<InterpretationTuning> }): Promise<InterpretationService>;
  /** A FASTQ run over the annotated genome, whose reference the interpreter rebuilds from its FASTA. */
  createRun(): Promise<string>;
}

/**
 * Registers the hooks of an interpretation test file over the annotated genome: the genome once,
 * and for each test a scratch database, a local Groq API accepting `apiKey`, and the service the
 * test starts, all closed after it.
 */
export function useAnnotatedScenario(apiKey: string): AnnotatedScenario {
  let genome: AnnotatedGenome | undefined;
  let database: TestDatabase | undefined;
  let fake: FakeGroq | undefined;
  let service: InterpretationService | undefined;
  const ready = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`the scenario's ${name} is used outside a test`);
    return part;
  };

  beforeAll(async () => {
    genome = await annotatedGenome();
  });

  afterAll(async () => {
    await genome?.remove();
  });

  beforeEach(async () => {
    database = await openTestDatabase();
    fake = await startFakeGroq({ apiKey });
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await fake?.close();
    await database?.close();
  });

  const scenario: AnnotatedScenario = {
    get genome() {
      return ready(genome, 'genome');
    },
    get database() {
      return ready(database, 'database');
    },
    get fake() {
      return ready(fake, 'Groq API');
    },
    async startService({ model = true, tuning = {} } = {}) {
      const started = createInterpretationService({
        pool: scenario.database.pool,
        logger: capturingLogger().logger,
        config: { groq: model ? { apiKey, baseUrl: scenario.fake.baseUrl, model: SCENARIO_MODEL } : undefined },
        tuning: { ...QUICK, ...tuning },
      });
      service = started;
      await started.start();
      return started;
    },
    createRun() {
      return scenario.database.store.createRun({
        source: 'FASTQ',
        config: { source: 'FASTQ', referencePath: scenario.genome.fastaPath },
        referenceName: CONTIG,
        referenceLength: BASES.length,
        contigs: [{ name: CONTIG, length: BASES.length }],
      });
    },
  };
  return scenario;
}
