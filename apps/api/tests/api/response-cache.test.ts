import { describe, expect, it } from 'vitest';
import { CacheScope, ResponseCache } from '../../src/http/response-cache.js';

const answer = (text: string) => ({ data: { text } });

describe('response cache', () => {
  it('should drop every answer that read a run when that run changes, and only those', () => {
    const cache = new ResponseCache();
    cache.set('a', answer('a'), ['run-1']);
    cache.set('b', answer('b'), ['run-1', 'run-2']);
    cache.set('c', answer('c'), ['run-2']);
    cache.invalidateRun('run-1');
    expect([cache.get('a'), cache.get('b'), cache.get('c')?.data]).toEqual([undefined, undefined, answer('c').data]);
  });

  it('should forget the least recently used answers beyond its byte budget', () => {
    const cache = new ResponseCache({ maxBytes: 16_000 });
    const big = 'x'.repeat(900);
    for (let index = 0; index < 40; index += 1) cache.set(`key-${index}`, answer(big), ['run']);
    expect(cache.size).toBeLessThan(20);
    expect(cache.get('key-39')?.data).toEqual(answer(big).data);
    expect(cache.get('key-0')).toBeUndefined();
  });

  it('should serve a hit already serialised', () => {
    const cache = new ResponseCache();
    cache.set('a', answer('a'), ['run']);
    const hit = cache.get('a') as { stringify?: () => string };
    expect(hit.stringify?.()).toBe('{"data":{"text":"a"}}');
  });

  it('should not keep an answer past its time to live', async () => {
    const cache = new ResponseCache({ ttlMs: 10 });
    cache.set('a', answer('a'), ['run']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cache.get('a')).toBeUndefined();
  });

  it('should let an answer be stored only when it read finished runs and nothing live', () => {
    const finished = new CacheScope();
    finished.dependOnRun('run-1', true);
    const live = new CacheScope();
    live.dependOnRun('run-1', true);
    live.uncacheable();
    const running = new CacheScope();
    running.dependOnRun('run-2', false);
    expect([finished.storable, live.storable, running.storable, new CacheScope().storable]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});
