import { beforeAll, describe, expect, it } from 'vitest';
import { getSampleProvider } from '../../../../../src/market/create-provider.ts';
import type { SampleProvider } from '../../../../../src/market/providers/sample/sample-provider.ts';

let provider: SampleProvider;
beforeAll(async () => {
  provider = await getSampleProvider();
});

describe('sample provider', () => {
  it('serves a factor ETF from its first session, history and price file joined in order', async () => {
    const result = (await provider.getDailyCloses(['SPY'], '1990-01-01', '2026-12-31')).get('SPY');
    if (!result?.ok) throw new Error('SPY not served');
    const bars = result.value;
    expect(bars[0]?.date).toBe('1993-01-29');
    expect(bars.at(-1)?.date).toBe('2026-07-31');
    // 6,393 sessions before 2018-06-19 plus the 2,040 of the price file, no gap, no repeat.
    expect(bars).toHaveLength(6_393 + 2_040);
    for (let i = 1; i < bars.length; i++) expect(bars[i - 1]!.date < bars[i]!.date).toBe(true);
    const around = bars.filter((b) => b.date >= '2018-06-15' && b.date <= '2018-06-20');
    expect(around.map((b) => b.date)).toEqual([
      '2018-06-15',
      '2018-06-18',
      '2018-06-19',
      '2018-06-20',
    ]);
  });

  it('serves a stock only from the price file, and each fund from its own inception', async () => {
    const results = await provider.getDailyCloses(
      ['AAPL', 'QUAL', 'IWM'],
      '2000-01-01',
      '2018-06-20',
    );
    const first = (s: string) => {
      const r = results.get(s);
      if (!r?.ok) throw new Error(`${s} not served`);
      return r.value[0]?.date;
    };
    expect(first('AAPL')).toBe('2018-06-19');
    expect(first('QUAL')).toBe('2013-07-18');
    expect(first('IWM')).toBe('2000-05-26');
  });

  it('names companies and funds from the bundled symbols list', async () => {
    const profiles = await provider.getProfiles(['AAPL', 'NKE', 'SPY']);
    const name = (s: string) => {
      const r = profiles.get(s);
      return r?.ok ? r.value.name : null;
    };
    expect(name('AAPL')).toBe('Apple Inc.');
    expect(name('NKE')).toBe('Nike, Inc.');
    expect(name('SPY')).toBe('SPDR S&P 500 ETF Trust');
  });

  it('serves the 3-month bill rate of each session in a range, in percent', async () => {
    const result = await provider.getTreasuryBillRates('2020-03-20', '2020-03-27');
    if (!result.ok) throw result.error;
    expect(result.value.map((p) => p.date)).toEqual([
      '2020-03-20',
      '2020-03-23',
      '2020-03-24',
      '2020-03-25',
      '2020-03-26',
      '2020-03-27',
    ]);
    expect(result.value.find((p) => p.date === '2020-03-26')?.ratePercent).toBe(-0.105);
    const none = await provider.getTreasuryBillRates('2010-01-01', '2010-12-31');
    expect(none).toMatchObject({ ok: false, error: { code: 'no_data' } });
  });
});
