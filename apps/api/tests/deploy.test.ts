import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  command?: string[];
  env?: EnvVar[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: {
    containers: Container[];
    securityContext?: { runAsNonRoot?: boolean };
    terminationGracePeriodSeconds?: number;
  };
}
interface PolicyPeer {
  podSelector?: Selector;
  ipBlock?: { cidr: string };
}
interface PolicyRule {
  ports?: { port: number }[];
  to?: PolicyPeer[];
  from?: PolicyPeer[];
}
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  stringData?: Record<string, string>;
  spec: {
    replicas?: number;
    template?: PodTemplate;
    selector?: Selector;
    minAvailable?: number;
    scaleTargetRef?: { kind: string; name: string };
    metrics?: { type: string; resource?: { name: string }; external?: { metric: { name: string } } }[];
    podSelector?: Selector;
    policyTypes?: string[];
    egress?: PolicyRule[];
    ingress?: PolicyRule[];
  };
}

const chart = fileURLToPath(new URL('../../../deploy/helm/helix-throttle', import.meta.url));
const prometheusSource = fileURLToPath(new URL('../src/http/prometheus.ts', import.meta.url));
const adapterValues = fileURLToPath(new URL('../../../deploy/helm/prometheus-adapter-values.yaml', import.meta.url));
const POSTGRES = 5432;
const REDIS = 6379;

/** helm from HELM, the PATH, or where `go install` puts it (deploy/validate-tools.sh builds it). */
function helmBinary(): string {
  const goBin = join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin');
  const candidates = [process.env.HELM, ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'helm'))];
  for (const candidate of [...candidates, join(goBin, 'helm')]) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there, or not executable: the next place.
    }
  }
  throw new Error('helm is not installed: run deploy/validate-tools.sh (it builds helm v3.22.0 with go)');
}

/** Every manifest `helm template` renders with these values files (relative to the chart). */
async function render(...valuesFiles: string[]): Promise<Manifest[]> {
  const args = [
    'template',
    'helix',
    chart,
    '--kube-version',
    '1.37.0',
    ...valuesFiles.flatMap((file) => ['--values', join(chart, file)]),
  ];
  const { stdout } = await promisify(execFile)(helmBinary(), args, { maxBuffer: 16 * 1024 * 1024 });
  return parseAllDocuments(stdout)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const manifest = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!manifest) throw new Error(`no ${kind} ${name} among ${manifests.map((m) => m.metadata.name).join(', ')}`);
  return manifest;
}

function podOf(manifest: Manifest): PodTemplate {
  if (!manifest.spec.template) throw new Error(`${manifest.kind} ${manifest.metadata.name} has no pod template`);
  return manifest.spec.template;
}

function selects(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every((expression) => {
    if (expression.operator !== 'In') throw new Error(`the test reads only In expressions, not ${expression.operator}`);
    const value = labels[expression.key];
    return value !== undefined && (expression.values ?? []).includes(value);
  });
  return byLabel && byExpression;
}

const allowsPort = (rule: PolicyRule, port: number) => !rule.ports || rule.ports.some((p) => p.port === port);
/** A peer list lets `labels` through when it is absent (anyone), or names the pod or an address range. */
const admits = (peers: PolicyPeer[] | undefined, labels: Record<string, string> | undefined) =>
  !peers ||
  peers.some((peer) => peer.ipBlock !== undefined || (labels !== undefined && selects(peer.podSelector, labels)));

/**
 * Whether the network policies let a pod open a connection on `port` to a pod with `toLabels`
 * (undefined: an address outside the cluster). A pod no policy restricts in a direction is open in it.
 */
function canConnect(
  policies: Manifest[],
  fromLabels: Record<string, string>,
  port: number,
  toLabels?: Record<string, string>,
): boolean {
  const restricting = (labels: Record<string, string>, type: string) =>
    policies.filter((p) => p.spec.policyTypes?.includes(type) && selects(p.spec.podSelector, labels));
  const egress = restricting(fromLabels, 'Egress');
  const out =
    egress.length === 0 ||
    egress.some((p) => (p.spec.egress ?? []).some((rule) => allowsPort(rule, port) && admits(rule.to, toLabels)));
  if (!out || !toLabels) return out;
  const ingress = restricting(toLabels, 'Ingress');
  return (
    ingress.length === 0 ||
    ingress.some((p) => (p.spec.ingress ?? []).some((rule) => allowsPort(rule, port) && admits(rule.from, fromLabels)))
  );
}

function secretKeysOf(container: Container): string[] {
  return (container.env ?? []).flatMap((variable) => {
    const key = variable.valueFrom?.secretKeyRef?.key;
    return key ? [key] : [];
  });
}

describe('the Helm chart, with external PostgreSQL and Redis', async () => {
  const manifests = await render('ci/external-values.yaml');
  const api = find(manifests, 'Deployment', 'helix-helix-throttle-api');
  const worker = find(manifests, 'Deployment', 'helix-helix-throttle-worker');
  const web = find(manifests, 'Deployment', 'helix-helix-throttle-web');
  const [apiContainer] = podOf(api).spec.containers;
  const [workerContainer] = podOf(worker).spec.containers;
  const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');

  it('should run at least two API replicas, kept available by a disruption budget', () => {
    expect(api.spec.replicas).toBeGreaterThanOrEqual(2);
    const budget = find(manifests, 'PodDisruptionBudget', 'helix-helix-throttle-api');
    expect(selects(budget.spec.selector, podOf(api).metadata.labels)).toBe(true);
    expect(budget.spec.minAvailable).toBeGreaterThanOrEqual(1);
  });

  it('should send an API replica traffic once /ready answers and restart it when /health does not', () => {
    expect(apiContainer?.readinessProbe?.httpGet?.path).toBe('/ready');
    expect(apiContainer?.livenessProbe?.httpGet?.path).toBe('/health');
  });

  it('should pause before SIGTERM and leave the server time to drain its run within the grace period', () => {
    const [sleep, seconds] = apiContainer?.lifecycle?.preStop?.exec?.command ?? [];
    expect(sleep).toBe('sleep');
    expect(Number(seconds)).toBeGreaterThan(0);
    expect(podOf(api).spec.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds) + 30);
  });

  it('should run the workers as `helix worker` and autoscale their Deployment on CPU', () => {
    expect(workerContainer?.command?.slice(0, 3)).toEqual(['node', 'apps/api/bin/helix.js', 'worker']);
    const autoscaler = find(manifests, 'HorizontalPodAutoscaler', 'helix-helix-throttle-worker');
    expect(autoscaler.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: worker.metadata.name });
    expect(autoscaler.spec.metrics?.[0]?.resource?.name).toBe('cpu');
  });

  it('should give the API its keys and both the API and workers their connections from the Secret', () => {
    const secret = find(manifests, 'Secret', 'helix-helix-throttle-secrets');
    const stored = Object.keys(secret.stringData ?? {});
    expect(stored.sort()).toEqual(['DATABASE_URL', 'GROQ_API_KEY', 'HELIX_API_KEYS', 'REDIS_URL']);
    expect(apiContainer && secretKeysOf(apiContainer).sort()).toEqual(stored);
    expect(workerContainer && secretKeysOf(workerContainer).sort()).toEqual(['DATABASE_URL', 'REDIS_URL']);
  });

  it('should let only API and worker pods reach PostgreSQL and Redis, and the dashboard only the API', () => {
    for (const port of [POSTGRES, REDIS]) {
      expect(canConnect(policies, podOf(api).metadata.labels, port)).toBe(true);
      expect(canConnect(policies, podOf(worker).metadata.labels, port)).toBe(true);
      expect(canConnect(policies, podOf(web).metadata.labels, port)).toBe(false);
    }
    expect(canConnect(policies, podOf(web).metadata.labels, 4000, podOf(api).metadata.labels)).toBe(true);
  });

  it('should run every container as a non-root user on a read-only root filesystem, within limits', () => {
    for (const workload of [api, worker, web]) {
      expect(podOf(workload).spec.securityContext?.runAsNonRoot).toBe(true);
      for (const container of podOf(workload).spec.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
        });
        expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('should point the dashboard at the API Service', () => {
    const apiService = find(manifests, 'Service', 'helix-helix-throttle-api');
    const [dashboard] = podOf(web).spec.containers;
    const apiUrl = dashboard?.env?.find((variable) => variable.name === 'HELIX_API_URL')?.value;
    expect(apiUrl).toBe(`http://${apiService.metadata.name}:4000/graphql`);
    expect(selects(apiService.spec.selector, podOf(api).metadata.labels)).toBe(true);
  });
});

describe('the Helm chart, with in-cluster PostgreSQL and Redis and workers scaled on queue depth', async () => {
  const manifests = await render('values-in-cluster.yaml', 'ci/in-cluster-values.yaml');
  const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
  const labelsOf = (kind: string, component: string) =>
    podOf(find(manifests, kind, `helix-helix-throttle-${component}`)).metadata.labels;

  it('should scale the worker Deployment on a queue-depth metric that /metrics exports', async () => {
    const autoscaler = find(manifests, 'HorizontalPodAutoscaler', 'helix-helix-throttle-worker');
    expect(autoscaler.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'helix-helix-throttle-worker' });
    const metric = autoscaler.spec.metrics?.[0]?.external?.metric.name;
    expect(metric).toBe('helix_queue_depth_batches');
    expect(await readFile(prometheusSource, 'utf8')).toContain(`'${metric}'`);
    expect(await readFile(adapterValues, 'utf8')).toContain(`as: ${metric}`);
  });

  it('should let only API and worker pods connect to the in-cluster PostgreSQL and Redis', () => {
    const datastores = [
      { port: POSTGRES, labels: labelsOf('StatefulSet', 'postgresql') },
      { port: REDIS, labels: labelsOf('StatefulSet', 'redis') },
    ];
    for (const { port, labels } of datastores) {
      expect(canConnect(policies, labelsOf('Deployment', 'api'), port, labels)).toBe(true);
      expect(canConnect(policies, labelsOf('Deployment', 'worker'), port, labels)).toBe(true);
      expect(canConnect(policies, labelsOf('Deployment', 'web'), port, labels)).toBe(false);
      // A pod outside the release, which no policy of the chart restricts.
      expect(canConnect(policies, { app: 'elsewhere' }, port, labels)).toBe(false);
    }
  });
});
