import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/env.js';

describe('configuration', () => {
  it('should apply the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.helix$/);
    expect(config.inputDir).toBe(`${config.dataDir}/inputs`);
    expect(config.apiUrl).toBe('http://127.0.0.1:4000/graphql');
    expect(config.groq).toBeUndefined();
  });

  it('should name the variable when a value is invalid', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
  });

  it('should parse role:key pairs and reject unknown roles and short keys', () => {
    const config = loadConfig({ HELIX_API_KEYS: 'operator:0123456789abcdef01, viewer:fedcba9876543210fe' });
    expect(config.apiKeys).toEqual([
      { role: 'operator', key: '0123456789abcdef01' },
      { role: 'viewer', key: 'fedcba9876543210fe' },
    ]);
    expect(() => loadConfig({ HELIX_API_KEYS: 'admin:0123456789abcdef01' })).toThrow(/HELIX_API_KEYS/);
    expect(() => loadConfig({ HELIX_API_KEYS: 'viewer:short' })).toThrow(/at least 16/);
  });

  it('should never echo a key in its error message', () => {
    const secret = 'admin:do-not-print-this-secret-value';
    expect(() => loadConfig({ HELIX_API_KEYS: secret })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('do-not-print-this-secret-value') }),
    );
  });

  it('should turn on Groq interpretation only with a key', () => {
    expect(loadConfig({ GROQ_BASE_URL: 'http://127.0.0.1:9/' }).groq).toBeUndefined();
    expect(loadConfig({ GROQ_API_KEY: 'gsk_test', GROQ_MODEL: 'm' }).groq).toEqual({
      apiKey: 'gsk_test',
      baseUrl: undefined,
      model: 'm',
    });
  });

  it('should wait two seconds for a watched file to settle unless HELIX_WATCH_SETTLE_MS says otherwise', () => {
    expect(loadConfig({}).watchSettleMs).toBe(2000);
    expect(loadConfig({ HELIX_WATCH_SETTLE_MS: '500' }).watchSettleMs).toBe(500);
    expect(() => loadConfig({ HELIX_WATCH_SETTLE_MS: '-1' })).toThrow(/HELIX_WATCH_SETTLE_MS/);
    expect(() => loadConfig({ HELIX_WATCH_SETTLE_MS: 'soon' })).toThrow(/HELIX_WATCH_SETTLE_MS/);
  });

  it('should save aligner indexes beside the reference unless HELIX_INDEX_DIR names a directory', () => {
    expect(loadConfig({}).indexDir).toBeUndefined();
    expect(loadConfig({ HELIX_INDEX_DIR: 'cache/indexes' }).indexDir).toBe(resolve('cache/indexes'));
    expect(() => loadConfig({ HELIX_INDEX_DIR: ' ' })).toThrow(/HELIX_INDEX_DIR/);
  });
});
