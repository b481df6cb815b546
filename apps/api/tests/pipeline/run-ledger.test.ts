import { describe, expect, it } from 'vitest';
import { LedgerImbalanceError, type ReadCounts, RunLedger } from '../../src/pipeline/run-ledger.js';

/** The accounting identity every run keeps. */
function expectBalanced(reads: ReadCounts): void {
  expect(reads.produced).toBe(reads.analysed + reads.queued + reads.inFlight + reads.discarded);
}

describe('run ledger', () => {
  it('should count a batch as queued when taken, in flight when dispatched, analysed when finished', () => {
    const ledger = new RunLedger();
    ledger.taken({ reads: 256, ambiguousReads: 2 });
    expect(ledger.reads).toEqual({ produced: 256, analysed: 0, queued: 256, inFlight: 0, discarded: 0 });
    ledger.dispatched(256);
    expect(ledger.reads).toMatchObject({ queued: 0, inFlight: 256 });
    expect(ledger.busy).toBe(true);
    ledger.analysed(256, 250);
    expect(ledger.reads).toEqual({ produced: 256, analysed: 256, queued: 0, inFlight: 0, discarded: 0 });
    expect(ledger.batches).toEqual({ produced: 1, analysed: 1, discarded: 0 });
    expect(ledger.ambiguousReads).toBe(2);
    expect(ledger.busy).toBe(false);
  });

  it('should keep produced = analysed + queued + in flight + discarded after every entry', () => {
    const ledger = new RunLedger();
    const steps: ((ledger: RunLedger) => void)[] = [
      (l) => l.taken({ reads: 100, ambiguousReads: 0 }),
      (l) => l.taken({ reads: 60, ambiguousReads: 0 }),
      (l) => l.taken({ reads: 40, ambiguousReads: 0 }),
      (l) => l.taken({ reads: 10, ambiguousReads: 0 }),
      (l) => l.dispatched(100),
      (l) => l.dispatched(60),
      (l) => l.dispatched(40),
      (l) => l.analysed(100, 100),
      (l) => l.withdrawn(60, 'inFlight'),
      (l) => l.rejected(40),
      (l) => l.withdrawn(10, 'queued'),
    ];
    for (const step of steps) {
      step(ledger);
      expectBalanced(ledger.reads);
    }
    expect(ledger.reads).toEqual({ produced: 210, analysed: 100, queued: 0, inFlight: 0, discarded: 110 });
  });

  it('should count withdrawn batches as discarded, and a rejected batch only by its reads', () => {
    const ledger = new RunLedger();
    for (let batch = 0; batch < 3; batch += 1) ledger.taken({ reads: 10, ambiguousReads: 0 });
    ledger.dispatched(10);
    ledger.dispatched(10);
    ledger.withdrawn(10, 'queued');
    ledger.withdrawn(10, 'inFlight');
    ledger.rejected(10);
    expect(ledger.batches).toEqual({ produced: 3, analysed: 0, discarded: 2 });
    expect(ledger.reads.discarded).toBe(30);
  });

  it('should refuse to move more reads out of a place than it holds', () => {
    const ledger = new RunLedger();
    ledger.taken({ reads: 10, ambiguousReads: 0 });
    expect(() => ledger.analysed(10, 0)).toThrow(LedgerImbalanceError);
    expect(() => ledger.dispatched(11)).toThrow('11 reads cannot leave queued, which holds 10');
    expect(ledger.reads).toEqual({ produced: 10, analysed: 0, queued: 10, inFlight: 0, discarded: 0 });
  });

  it('should count the mapped reads of files read again after a restart, but not their reads or batches a second time', () => {
    const ledger = new RunLedger();
    ledger.carriedOver(100, 4);
    ledger.replayed(90, 80);
    expect(ledger.reads).toEqual({ produced: 100, analysed: 100, queued: 0, inFlight: 0, discarded: 0 });
    expect(ledger.batches).toEqual({ produced: 4, analysed: 4, discarded: 0 });
    expect([ledger.mappedReads, ledger.properlyPairedReads]).toEqual([90, 80]);
  });

  it('should go on counting batches from those analysed before a restart', () => {
    const ledger = new RunLedger();
    ledger.carriedOver(100, 4);
    ledger.taken({ reads: 10, ambiguousReads: 0 });
    ledger.dispatched(10);
    ledger.analysed(10, 9);
    expect(ledger.batches).toEqual({ produced: 5, analysed: 5, discarded: 0 });
  });
});
