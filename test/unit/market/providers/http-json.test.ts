import { afterEach, describe, expect, it } from 'vitest';
import { ok, ProviderError } from '../../../../src/market/provider.ts';
import {
  describeBody,
  errorForStatus,
  getJson,
  perSymbol,
  type HttpTarget,
} from '../../../../src/market/providers/http-json.ts';
import { RecordedHttpServer } from '../../../helpers/recorded-http-server.ts';

let server: RecordedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const target = (timeoutMs = 2_000): HttpTarget => ({
  provider: 'test',
  fetch: (input, init) => fetch(input, init),
  timeoutMs,
});

describe('errorForStatus', () => {
  it.each([
    [200, null, undefined],
    [204, null, undefined],
    [404, 'unknown_symbol', false],
    [429, 'rate_limited', true],
    [500, 'http_error', true],
    [503, 'http_error', true],
    [401, 'http_error', false],
    [403, 'http_error', false],
    [400, 'http_error', false],
  ] as const)('maps HTTP %i to %s (retryable %s)', (status, code, retryable) => {
    const error = errorForStatus('test', status, 'closes of AAPL', '');
    if (code === null) {
      expect(error).toBeNull();
      return;
    }
    expect(error?.code).toBe(code);
    expect(error?.retryable).toBe(retryable);
    expect(error?.options.status).toBe(status);
  });

  it('lets an endpoint say a 404 is not about the symbol', () => {
    const error = errorForStatus('test', 404, 'the crumb', '', 'http_error');
    expect(error?.code).toBe('http_error');
    expect(error?.retryable).toBe(false);
  });

  it('points at the API key on 401/403', () => {
    expect(errorForStatus('test', 401, 'x', '')?.message).toMatch(/API key/);
  });
});

describe('describeBody', () => {
  it('finds the message wherever the vendor put it', () => {
    expect(describeBody('{"Error Message":"Limit Reach ."}')).toBe('Limit Reach .');
    expect(describeBody('{"status":"NOT_FOUND","message":"Ticker not found."}')).toBe(
      'Ticker not found.',
    );
    expect(
      describeBody('{"chart":{"result":null,"error":{"code":"Not Found","description":"gone"}}}'),
    ).toBe('gone');
    expect(describeBody('<html><body><h1>502 Bad Gateway</h1></body></html>')).toBe(
      '502 Bad Gateway',
    );
    expect(describeBody('x'.repeat(500))).toHaveLength(160);
  });
});

describe('getJson', () => {
  const route = (status: number, bodyText: string, path = '/x') => ({
    path,
    response: { status, headers: { 'content-type': 'application/json' }, bodyText },
  });

  it('returns parsed JSON', async () => {
    server = await RecordedHttpServer.start([route(200, '{"a":1}')]);
    await expect(getJson(target(), { url: `${server.baseUrl}/x`, what: 'x' })).resolves.toEqual({
      a: 1,
    });
  });

  it('classifies a non-JSON 200 as malformed_response', async () => {
    server = await RecordedHttpServer.start([route(200, '<html>maintenance</html>')]);
    const error = await getJson(target(), { url: `${server.baseUrl}/x`, what: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('malformed_response');
  });

  it('times out with a retryable timeout when the server stalls', async () => {
    server = await RecordedHttpServer.start([route(200, '{}')]);
    server.inject('/x', { kind: 'delay', ms: 2_000 });
    const started = Date.now();
    const error = await getJson(target(150), { url: `${server.baseUrl}/x`, what: 'x' }).catch(
      (e: unknown) => e,
    );
    expect((error as ProviderError).code).toBe('timeout');
    expect((error as ProviderError).retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("rethrows the caller's abort instead of blaming the provider", async () => {
    server = await RecordedHttpServer.start([route(200, '{}')]);
    server.inject('/x', { kind: 'delay', ms: 2_000 });
    const controller = new AbortController();
    const reason = new Error('batch cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await expect(
      getJson(target(1_000), {
        url: `${server.baseUrl}/x`,
        what: 'x',
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
  });

  it('turns a refused connection into a retryable http_error', async () => {
    server = await RecordedHttpServer.start([]);
    const url = `${server.baseUrl}/x`;
    await server.close();
    server = undefined;
    const error = (await getJson(target(), { url, what: 'x' }).catch(
      (e: unknown) => e,
    )) as ProviderError;
    expect(error.code).toBe('http_error');
    expect(error.retryable).toBe(true);
  });
});

describe('perSymbol', () => {
  it('keys answers by distinct symbol in request order and isolates failures', async () => {
    const results = await perSymbol(['B', 'A', 'B', 'C'], { concurrency: 2 }, async (s) => {
      if (s === 'A') throw new ProviderError('no_data', 'none', 'test');
      return ok(s.toLowerCase());
    });
    expect([...results.keys()]).toEqual(['B', 'A', 'C']);
    expect(results.get('B')).toEqual({ ok: true, value: 'b' });
    expect(results.get('A')?.ok).toBe(false);
  });

  it('never runs more than `concurrency` at once', async () => {
    let running = 0;
    let peak = 0;
    await perSymbol(['A', 'B', 'C', 'D', 'E'], { concurrency: 2 }, async (s) => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return ok(s);
    });
    expect(peak).toBe(2);
  });

  it('rejects on a caller abort rather than failing symbols', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      perSymbol(['A'], { concurrency: 1, signal: controller.signal }, async (s) => ok(s)),
    ).rejects.toThrow('stop');
  });
});
