/**
 * Configuration: defaults, then an optional JSON file (`glexia.config.json` in
 * the working directory, or the file named by GLEXIA_CONFIG or --config), then
 * environment variables, then command-line flags. Validated with zod, so a bad
 * value is reported with its field before anything starts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** MITRE's published collection index of attack-stix-data. */
export const MITRE_INDEX_URL = 'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/index.json';

const bannerSchema = z.object({
  text: z.string().min(1).default('Responding to an active security incident?'),
  linkText: z.string().min(1).default('Find an incident response team'),
  /** FIRST's directory of incident response teams covers teams in every region. */
  url: z.string().url().default('https://www.first.org/members/teams/'),
});

/** Sign-in settings of the team features. */
const accountsSchema = z.object({
  /** Lifetime of a browser session, in hours. */
  sessionHours: z.number().positive().max(24 * 30).default(12),
  /** Marks the session cookie Secure. When unset, it is Secure for requests that arrive over HTTPS. */
  secureCookies: z.boolean().optional(),
  /** Failed sign-ins allowed per account name, and per client address, in one window of `loginWindowSeconds`. */
  loginFailuresPerAccount: z.number().int().positive().default(5),
  loginFailuresPerAddress: z.number().int().positive().default(20),
  loginWindowSeconds: z.number().int().positive().default(15 * 60),
});

export const configSchema = z.object({
  dataDir: z.string().min(1).default('data'),
  source: z.string().min(1).default(MITRE_INDEX_URL),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The incident banner on every page, or false for none. */
  banner: z.union([z.literal(false), bannerSchema]).default(bannerSchema.parse({})),
  /** Text shown under "How to use this page", by URL segment of the page kind (`techniques`, `groups`, ...). */
  guidance: z.record(z.string(), z.string().min(1)).default({}),
  accounts: accountsSchema.default(accountsSchema.parse({})),
  /**
   * Fastify's trustProxy: behind a reverse proxy, `true` or the proxy's addresses make the client
   * address (for login limits and the audit log) and https detection come from X-Forwarded-* headers.
   */
  takes: z
    .object({
      /** Lets a reviewer publish a take they wrote; off, every published take has a second reader. */
      allowSelfPublish: z.boolean().default(false),
    })
    .default({ allowSelfPublish: false }),
  trustProxy: z.union([z.boolean(), z.string().min(1)]).default(false),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigOverrides = Partial<Pick<Config, 'dataDir' | 'source' | 'host' | 'port' | 'logLevel'>>;

const DEFAULT_CONFIG_FILE = 'glexia.config.json';

function readConfigFile(path: string | undefined): Record<string, unknown> {
  const file = path ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot read config file ${resolve(file)}: ${(error as Error).message}`, { cause: error });
  }
}

function fromEnvironment(env: NodeJS.ProcessEnv): ConfigOverrides {
  const values: Record<string, string | undefined> = {
    dataDir: env.GLEXIA_DATA_DIR,
    source: env.GLEXIA_SOURCE,
    host: env.GLEXIA_HOST,
    port: env.GLEXIA_PORT,
    logLevel: env.GLEXIA_LOG_LEVEL,
  };
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== '')) as ConfigOverrides;
}

export function loadConfig(overrides: ConfigOverrides & { configFile?: string } = {}, env = process.env): Config {
  const { configFile, ...flags } = overrides;
  const definedFlags = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
  const merged = { ...readConfigFile(configFile ?? env.GLEXIA_CONFIG), ...fromEnvironment(env), ...definedFlags };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: field "${issue?.path.join('.')}": ${issue?.message}`);
  }
  return parsed.data;
}

export function databaseFile(config: Config): string {
  return join(resolve(config.dataDir), 'glexia.db');
}
