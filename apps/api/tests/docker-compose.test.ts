import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas: number };
  ports?: string[];
}

const composeFile = fileURLToPath(new URL('../../../docker-compose.yml', import.meta.url));

// No Docker engine runs here, so the topology is checked by reading it, merge keys resolved.
describe('docker-compose.yml', async () => {
  const compose = parse(await readFile(composeFile, 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const { services } = compose;

  it('should define postgres, redis, api, worker and web', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'redis', 'web', 'worker']);
  });

  it('should give every stateful and serving service a health check', () => {
    for (const name of ['postgres', 'redis', 'api'])
      expect(services[name]?.healthcheck?.test.length).toBeGreaterThan(0);
  });

  it('should wire the api and workers to postgres and redis, waiting until they are healthy', () => {
    for (const name of ['api', 'worker']) {
      const service = services[name];
      expect(service?.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(service?.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(service?.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(service?.depends_on?.redis?.condition).toBe('service_healthy');
    }
  });

  it('should run the helix commands the CLI offers', () => {
    expect(services.api?.command).toContain('serve');
    expect(services.api?.command).toEqual(expect.arrayContaining(['--host', '0.0.0.0']));
    expect(services.worker?.command).toContain('worker');
    expect(services.worker?.deploy?.replicas).toBeGreaterThan(1);
  });

  it('should point the dashboard at the api service', () => {
    expect(services.web?.environment?.HELIX_API_URL).toBe('http://api:4000/graphql');
    expect(services.web?.depends_on?.api?.condition).toBe('service_healthy');
  });
});
