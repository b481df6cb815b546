import { describe, expect, it } from 'vitest';
import {
  InterpretationListeners,
  interpretedEvent,
  type VariantInterpreted,
} from '../../src/interpret/interpreted-event.js';
import { interpretByRules } from '../../src/interpret/rules.js';
import { capturingLogger, confirmedVariants } from './support/scenario.js';

const RUN = '00000000-0000-0000-0000-000000000001';
const [variant] = confirmedVariants(RUN, 1);
if (!variant) throw new Error('one variant expected');
const event = interpretedEvent('17', variant, 'rules', interpretByRules(variant, undefined));

describe('interpretation events', () => {
  it('should name the stored row and the site of the variant', () => {
    expect(event).toMatchObject({
      id: '17',
      runId: RUN,
      contig: variant.contig,
      position: variant.position,
      ref: variant.ref,
      alt: variant.alt,
      source: 'rules',
      interpretation: { source: 'rules' },
    });
  });

  it('should reach every listener even when one throws, and log the one that did', () => {
    const { logger, lines } = capturingLogger();
    const listeners = new InterpretationListeners(logger);
    const heard: VariantInterpreted[] = [];
    listeners.add(() => {
      throw new Error('subscriber gone');
    });
    listeners.add((received) => heard.push(received));
    listeners.emit(event);
    expect(heard).toEqual([event]);
    expect(lines).toMatchObject([{ msg: 'interpretation listener failed', reason: 'subscriber gone' }]);
  });

  it('should stop telling a listener once it unsubscribed', () => {
    const listeners = new InterpretationListeners(capturingLogger().logger);
    const heard: VariantInterpreted[] = [];
    const unsubscribe = listeners.add((received) => heard.push(received));
    listeners.emit(event);
    unsubscribe();
    listeners.emit(event);
    expect(heard).toHaveLength(1);
  });
});
