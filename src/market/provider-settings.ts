import {
  isProviderName,
  MARKET_DATA_PROVIDERS,
  providerEntry,
  type MarketDataProviderName,
  type ProviderSettings,
} from './provider-table.ts';

/**
 * Reading the providers' environment variables, for `loadConfig`: problems are returned, not
 * thrown, so start-up reports every bad variable at once.
 */

export interface ProvidersFromEnv {
  /** The primary first, then MARKET_DATA_FALLBACKS in order. */
  readonly chain: ProviderSettings[];
  readonly problems: string[];
}

/**
 * `<NAME>_REQUESTS_PER_SECOND` raises (or lowers) a network provider's rate limit to what the
 * account's plan allows: the shipped defaults suit the cheapest plans, and onboarding a portfolio
 * of new symbols is bound by this rate. The burst becomes two seconds' worth of requests.
 */
export function readRateLimit(
  name: MarketDataProviderName,
  env: NodeJS.ProcessEnv,
): { rateLimit: ProviderSettings['rateLimit']; problem?: string } {
  const key = `${name.toUpperCase()}_REQUESTS_PER_SECOND`;
  const raw = env[key]?.trim();
  if (!raw) return { rateLimit: {} };
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) {
    return {
      rateLimit: {},
      problem: `${key}=${JSON.stringify(env[key])}: must be a number of requests per second above 0 and at most 1000`,
    };
  }
  return { rateLimit: { requestsPerSecond: rate, burst: Math.max(1, Math.ceil(rate * 2)) } };
}

/** One provider's settings from the environment, with what is wrong with them. */
export function readProviderSettings(
  name: MarketDataProviderName,
  env: NodeJS.ProcessEnv,
  role: string,
): { settings: ProviderSettings; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, string> = {};
  for (const variable of providerEntry(name).variables) {
    const value = env[variable.env]?.trim();
    if (value) values[variable.key] = value;
    else if (variable.required) problems.push(`${variable.env}: ${role}=${name} needs it`);
  }
  // Only providers behind the resilience layer have a rate to set.
  const { rateLimit, problem } = providerEntry(name).network
    ? readRateLimit(name, env)
    : { rateLimit: {} };
  if (problem) problems.push(problem);
  return { settings: { name, values, rateLimit }, problems };
}

/** The primary provider and MARKET_DATA_FALLBACKS (comma-separated names), validated. */
export function readProviderChain(
  primary: MarketDataProviderName,
  env: NodeJS.ProcessEnv,
): ProvidersFromEnv {
  const problems: string[] = [];
  const first = readProviderSettings(primary, env, 'MARKET_DATA_PROVIDER');
  const chain = [first.settings];
  problems.push(...first.problems);

  const names = (env.MARKET_DATA_FALLBACKS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== primary);
  const unknown = names.filter((n) => !isProviderName(n));
  if (unknown.length > 0) {
    problems.push(
      `MARKET_DATA_FALLBACKS=${JSON.stringify(env.MARKET_DATA_FALLBACKS)}: unknown provider(s) ${unknown.join(', ')}; use ${MARKET_DATA_PROVIDERS.join(', ')}`,
    );
  }
  for (const name of new Set(names.filter(isProviderName))) {
    const fallback = readProviderSettings(name, env, 'MARKET_DATA_FALLBACKS');
    chain.push(fallback.settings);
    problems.push(...fallback.problems);
  }
  return { chain, problems };
}
