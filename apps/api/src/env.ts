import { resolve } from 'node:path';
import { z } from 'zod';

/** A role a key grants: operators change the pipeline, viewers read and watch. */
export type Role = 'operator' | 'viewer';

/** One configured API key with the role it grants. */
export interface ApiKey {
  role: Role;
  key: string;
}

/** How bearer JWTs from an OpenID Connect issuer are accepted (single sign-on). */
export interface OidcConfig {
  /** The issuer's identifier: tokens' `iss`, and where its discovery document lives. */
  issuer: string;
  /** The `aud` a token must carry. */
  audience: string;
  /** The claim (a dotted path) whose value, operator or viewer, is the caller's role. */
  roleClaim: string;
}

const port = z.coerce.number().int().min(0).max(65_535, 'must be a TCP port between 0 and 65535');

const milliseconds = z.coerce.number().int().min(0, 'must be a number of milliseconds, 0 or more');

const apiKeys = z
  .string()
  .trim()
  .transform((text, ctx): ApiKey[] => {
    const keys: ApiKey[] = [];
    const pairs = text.split(',').map((part) => part.trim());
    for (const [index, pair] of pairs.entries()) {
      if (pair === '') continue;
      const separator = pair.indexOf(':');
      const role = pair.slice(0, separator);
      const key = pair.slice(separator + 1);
      if (separator < 0 || (role !== 'operator' && role !== 'viewer')) {
        ctx.addIssue({
          code: 'custom',
          message: `entry ${index + 1} must be "operator:<key>" or "viewer:<key>"`,
        });
        return z.NEVER;
      }
      if (key.length < 16) {
        ctx.addIssue({ code: 'custom', message: `the ${role} key must be at least 16 characters long` });
        return z.NEVER;
      }
      keys.push({ role, key });
    }
    return keys;
  });

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const schema = z
  .object({
    DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
    HELIX_DATA_DIR: z.string().trim().min(1).default('.helix'),
    PORT: port.default(4000),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    HELIX_API_KEYS: optional(apiKeys),
    HELIX_INPUT_DIR: optional(z.string().trim().min(1)),
    HELIX_INDEX_DIR: optional(z.string().trim().min(1)),
    REDIS_URL: optional(url(['redis:', 'rediss:'])),
    GROQ_API_KEY: optional(z.string().trim().min(1)),
    GROQ_BASE_URL: optional(url(['http:', 'https:'])),
    GROQ_MODEL: z.string().trim().min(1).default('llama-3.3-70b-versatile'),
    HELIX_API_URL: url(['http:', 'https:']).default('http://127.0.0.1:4000/graphql'),
    HELIX_DASHBOARD_ORIGIN: url(['http:', 'https:']).default('http://127.0.0.1:3000'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HELIX_DRAIN_TIMEOUT_MS: milliseconds.default(10_000),
    HELIX_WATCH_SETTLE_MS: milliseconds.default(2_000),
    HELIX_OIDC_ISSUER: optional(url(['http:', 'https:'])),
    HELIX_OIDC_AUDIENCE: optional(z.string().trim().min(1)),
    HELIX_OIDC_ROLE_CLAIM: z
      .string()
      .trim()
      .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a claim name, or a dotted path such as realm_access.roles')
      .default('helix_role'),
  })
  .superRefine((env, ctx) => {
    if (env.HELIX_OIDC_ISSUER && !env.HELIX_OIDC_AUDIENCE) {
      ctx.addIssue({ code: 'custom', path: ['HELIX_OIDC_AUDIENCE'], message: 'must be set when HELIX_OIDC_ISSUER is' });
    }
    if (env.HELIX_OIDC_AUDIENCE && !env.HELIX_OIDC_ISSUER) {
      ctx.addIssue({ code: 'custom', path: ['HELIX_OIDC_ISSUER'], message: 'must be set when HELIX_OIDC_AUDIENCE is' });
    }
  });

/** The parsed, validated configuration of a Helix process. */
export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  apiKeys: ApiKey[] | undefined;
  inputDir: string;
  /**
   * Where saved aligner indexes go; undefined: beside the reference (`<reference>.hix`), or the
   * user's cache directory when the reference's directory cannot be written.
   */
  indexDir: string | undefined;
  redisUrl: string | undefined;
  groq: { apiKey: string; baseUrl: string | undefined; model: string } | undefined;
  apiUrl: string;
  dashboardOrigin: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** On SIGTERM, how long requests in flight may take to finish before they are cut. */
  drainTimeoutMs: number;
  /** How long a file in a watched run folder must keep its size before it is taken as complete. */
  watchSettleMs: number;
  /** Single sign-on; undefined unless HELIX_OIDC_ISSUER is set. */
  oidc: OidcConfig | undefined;
}

/** Raised when a setting is invalid; its message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses `process.env` with command-line overrides on top (e.g. `--port` as `PORT`), so flags
 * are validated with the same messages as the variables they stand for.
 */
export function loadConfigWith(overrides: Record<string, string | undefined>): Config {
  return loadConfig({ ...process.env, ...overrides });
}

/**
 * Parses configuration from an environment (by default `process.env`).
 * This is the only place that reads the environment.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const env = parsed.data;
  const dataDir = resolve(env.HELIX_DATA_DIR);
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir,
    port: env.PORT,
    host: env.HOST,
    apiKeys: env.HELIX_API_KEYS,
    inputDir: resolve(env.HELIX_INPUT_DIR ?? resolve(dataDir, 'inputs')),
    indexDir: env.HELIX_INDEX_DIR === undefined ? undefined : resolve(env.HELIX_INDEX_DIR),
    redisUrl: env.REDIS_URL,
    groq: env.GROQ_API_KEY
      ? { apiKey: env.GROQ_API_KEY, baseUrl: env.GROQ_BASE_URL, model: env.GROQ_MODEL }
      : undefined,
    apiUrl: env.HELIX_API_URL,
    dashboardOrigin: env.HELIX_DASHBOARD_ORIGIN,
    logLevel: env.LOG_LEVEL,
    drainTimeoutMs: env.HELIX_DRAIN_TIMEOUT_MS,
    watchSettleMs: env.HELIX_WATCH_SETTLE_MS,
    oidc:
      env.HELIX_OIDC_ISSUER && env.HELIX_OIDC_AUDIENCE
        ? { issuer: env.HELIX_OIDC_ISSUER, audience: env.HELIX_OIDC_AUDIENCE, roleClaim: env.HELIX_OIDC_ROLE_CLAIM }
        : undefined,
  };
}
