import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const problemsOf = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('BETABOARD_STALE_AFTER_SECONDS', () => {
  it('defaults to 60 s with a 10 s heartbeat', () => {
    const config = loadConfig({});
    expect([config.staleAfterSeconds, config.heartbeatSeconds]).toEqual([60, 10]);
  });

  it('a short threshold beats a third as often, never less than once a second', () => {
    const at = (seconds: number) => {
      const config = loadConfig({ BETABOARD_STALE_AFTER_SECONDS: String(seconds) });
      return [config.staleAfterSeconds, config.heartbeatSeconds];
    };
    expect(at(6)).toEqual([6, 2]);
    expect(at(3)).toEqual([3, 1]);
    expect(at(20)).toEqual([20, 6]);
    expect(at(600)).toEqual([600, 10]);
  });

  it('a bad value is named with what is allowed', () => {
    expect(problemsOf({ BETABOARD_STALE_AFTER_SECONDS: 'soon' })).toEqual([
      'BETABOARD_STALE_AFTER_SECONDS="soon": must be a number',
    ]);
    expect(problemsOf({ BETABOARD_STALE_AFTER_SECONDS: '2' })).toEqual([
      'BETABOARD_STALE_AFTER_SECONDS="2": must be between 3 and 3600 seconds',
    ]);
    expect(problemsOf({ BETABOARD_STALE_AFTER_SECONDS: '7.5' })).toEqual([
      'BETABOARD_STALE_AFTER_SECONDS="7.5": must be a whole number',
    ]);
  });
});
