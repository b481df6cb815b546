import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
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
  volumes?: string[];
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const composeFile = fileURLToPath(new URL('../../../docker-compose.yml', import.meta.url));
const proxyConfigFile = fileURLToPath(new URL('../../../docker/nginx.conf', import.meta.url));
const apiReplicas = ['api-1', 'api-2'];

// No Docker engine runs here, so the topology is checked by reading it, merge keys resolved.
describe('docker-compose.yml', async () => {
  const compose = parse(await readFile(composeFile, 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const { services } = compose;

  it('should define postgres, redis, two api replicas, the proxy, workers, web, prometheus and grafana', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api-1',
      'api-2',
      'grafana',
      'postgres',
      'prometheus',
      'proxy',
      'redis',
      'web',
      'worker',
    ]);
  });

  it('should give every stateful and serving service a health check', () => {
    for (const name of ['postgres', 'redis', ...apiReplicas, 'proxy'])
      expect(services[name]?.healthcheck?.test.length).toBeGreaterThan(0);
  });

  it('should keep redis data on a volume, with the append-only file on', () => {
    expect(services.redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(services.redis?.volumes?.some((volume) => volume.endsWith(':/data'))).toBe(true);
  });

  it('should wire the api replicas and workers to postgres and redis, waiting until they are healthy', () => {
    for (const name of [...apiReplicas, 'worker']) {
      const service = services[name];
      expect(service?.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(service?.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(service?.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(service?.depends_on?.redis?.condition).toBe('service_healthy');
    }
  });

  it('should run both api replicas alike, reachable only through the proxy', () => {
    expect(services['api-2']).toEqual(services['api-1']);
    for (const name of apiReplicas) {
      const service = services[name];
      expect(service?.command).toEqual(expect.arrayContaining(['serve', '--host', '0.0.0.0', '--port', '4000']));
      expect(service?.environment?.HELIX_API_KEYS).toBeDefined();
      expect(service?.environment?.HELIX_DASHBOARD_ORIGIN).toBe('http://localhost:3000');
      expect(service?.ports).toBeUndefined();
      expect(service?.healthcheck?.test.join(' ')).toContain('/ready');
    }
  });

  it('should publish the api port on the proxy once both replicas are healthy', () => {
    const proxy = services.proxy;
    expect(proxy?.image).toMatch(/^nginx:/);
    expect(proxy?.ports).toEqual(['4000:4000']);
    for (const name of apiReplicas) expect(proxy?.depends_on?.[name]?.condition).toBe('service_healthy');
    expect(proxy?.volumes?.some((volume) => volume.startsWith('./docker/nginx.conf:'))).toBe(true);
  });

  it('should run several detector workers', () => {
    expect(services.worker?.command).toContain('worker');
    expect(services.worker?.deploy?.replicas).toBeGreaterThan(1);
  });

  it('should point the dashboard at the proxy', () => {
    expect(services.web?.environment?.HELIX_API_URL).toBe('http://proxy:4000/graphql');
    expect(services.web?.depends_on?.proxy?.condition).toBe('service_healthy');
  });
});

describe('docker/nginx.conf', async () => {
  const config = await readFile(proxyConfigFile, 'utf8');

  it('should balance over both api replicas', () => {
    expect(config).toMatch(/server\s+api-1:4000\b/);
    expect(config).toMatch(/server\s+api-2:4000\b/);
  });

  it('should pass WebSocket upgrades and stream SSE unbuffered', () => {
    expect(config).toMatch(/proxy_http_version\s+1\.1;/);
    expect(config).toMatch(/proxy_set_header\s+Upgrade\s+\$http_upgrade;/);
    expect(config).toMatch(/proxy_set_header\s+Connection\s+/);
    expect(config).toMatch(/proxy_buffering\s+off;/);
  });
});

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
}

/** The container path a service mounts `hostPath` at (`host:container[:ro]`). */
function mountOf(service: Service | undefined, hostPath: string): string | undefined {
  const volume = service?.volumes?.find((entry) => entry.split(':')[0] === hostPath);
  return volume?.split(':')[1];
}

describe('the monitoring services', async () => {
  const compose = parse(await readFile(composeFile, 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const { services } = compose;
  const prometheusConfig = parse(
    await readFile(resolve(root, 'deploy/monitoring/prometheus/prometheus.yml'), 'utf8'),
  ) as { rule_files: string[]; scrape_configs: ScrapeConfig[] };
  const job = (name: string) => prometheusConfig.scrape_configs.find((config) => config.job_name === name);

  it('should mount only files and folders that exist in the repository', async () => {
    for (const name of ['prometheus', 'grafana']) {
      const binds = (services[name]?.volumes ?? []).filter((volume) => volume.startsWith('./'));
      expect(binds.length).toBeGreaterThan(0);
      for (const bind of binds)
        await expect(access(resolve(root, bind.split(':')[0] as string))).resolves.toBeUndefined();
    }
  });

  it('should run prometheus with its config and rules where the config looks for them', () => {
    const prometheus = services.prometheus;
    expect(prometheus?.image).toMatch(/^prom\/prometheus:/);
    expect(prometheus?.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(mountOf(prometheus, './deploy/monitoring/prometheus/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    expect(mountOf(prometheus, './deploy/monitoring/prometheus/rules')).toBe('/etc/prometheus/rules');
    expect(prometheusConfig.rule_files).toEqual(['rules/*.rules.yml']);
  });

  it('should scrape every api replica on its api port', () => {
    expect(job('helix-api')?.static_configs?.flatMap((config) => config.targets)).toEqual(
      apiReplicas.map((name) => `${name}:4000`),
    );
  });

  it("should scrape every worker replica on the metrics port the workers' command opens", () => {
    const command = services.worker?.command ?? [];
    const port = Number(command[command.indexOf('--metrics-port') + 1]);
    expect(port).toBeGreaterThan(0);
    expect(job('helix-worker')?.dns_sd_configs).toEqual([
      expect.objectContaining({ names: ['worker'], type: 'A', port }),
    ]);
  });

  it('should provision grafana with the prometheus datasource and the dashboards folder', async () => {
    const grafana = services.grafana;
    expect(grafana?.image).toMatch(/^grafana\/grafana:/);
    expect(grafana?.depends_on?.prometheus?.condition).toBe('service_healthy');
    expect(mountOf(grafana, './deploy/monitoring/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const dashboards = mountOf(grafana, './deploy/monitoring/grafana/dashboards');
    const provider = parse(
      await readFile(resolve(root, 'deploy/monitoring/grafana/provisioning/dashboards/helix.yml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    expect(provider.providers.map((entry) => entry.options.path)).toEqual([dashboards]);
    const datasources = parse(
      await readFile(resolve(root, 'deploy/monitoring/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources).toEqual([expect.objectContaining({ url: 'http://prometheus:9090' })]);
    const dashboard = JSON.parse(
      await readFile(resolve(root, 'deploy/monitoring/grafana/dashboards/helix.json'), 'utf8'),
    ) as { panels: { datasource: { uid: string } }[] };
    for (const panel of dashboard.panels) expect(panel.datasource.uid).toBe(datasources.datasources[0]?.uid);
  });
});
