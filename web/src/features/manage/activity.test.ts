import { describe, expect, it } from 'vitest';
import { describeActivity } from './activity.ts';

const msft = {
  symbol: 'MSFT',
  quantity: 10,
  entry_price: 400.5,
  entry_date: '2026-07-01',
  exit_date: null,
  exit_price: null,
  notes: 'core',
};

describe('describeActivity', () => {
  it('says what was added, removed or recorded', () => {
    expect(describeActivity({ action: 'position.added', before: null, after: msft })).toEqual({
      title: 'Added 10 MSFT at $400.50 on Jul 1, 2026',
      changes: [],
      kind: 'added',
    });
    expect(describeActivity({ action: 'position.deleted', before: msft, after: null }).title).toBe(
      'Removed 10 MSFT at $400.50 on Jul 1, 2026',
    );
    expect(
      describeActivity({
        action: 'equity_change.added',
        before: null,
        after: { change_type: 'WITHDRAWAL', amount: 25000, change_date: '2026-08-04', notes: null },
      }).title,
    ).toBe('Recorded a withdrawal of $25,000 on Aug 4, 2026');
  });

  it('lists a correction field by field, before → after', () => {
    const text = describeActivity({
      action: 'position.updated',
      before: msft,
      after: { ...msft, quantity: 1200, entry_price: 399.75, notes: null },
    });
    expect(text.title).toBe('Corrected MSFT');
    expect(text.changes).toEqual([
      { label: 'Quantity', before: '10', after: '1,200' },
      { label: 'Entry price', before: '$400.50', after: '$399.75' },
      { label: 'Notes', before: '“core”', after: 'none' },
    ]);
  });

  it('describes a full and a partial sale', () => {
    const sold = { ...msft, exit_date: '2026-07-20', exit_price: 410 };
    const full = describeActivity({ action: 'position.closed', before: msft, after: sold });
    expect(full.title).toBe('Sold 10 MSFT at $410.00 on Jul 20, 2026');
    expect(full.changes).toEqual([{ label: 'Open quantity', before: '10', after: '0' }]);
    const partial = describeActivity({
      action: 'position.closed',
      before: msft,
      after: { sold: { ...sold, quantity: 4 }, remaining: { ...msft, quantity: 6 } },
    });
    expect(partial.title).toBe('Sold 4 MSFT at $410.00 on Jul 20, 2026');
    expect(partial.changes).toEqual([{ label: 'Open quantity', before: '10', after: '6' }]);
  });

  it('names calculations and unknown actions', () => {
    expect(
      describeActivity({
        action: 'calculation',
        before: null,
        after: { status: 'completed', mode: 'fast', calculation_date: '2026-07-31' },
      }).title,
    ).toBe('Calculation (fast) completed, as of Jul 31, 2026');
    expect(describeActivity({ action: 'portfolio.renamed', before: null, after: null }).title).toBe(
      'Portfolio renamed',
    );
  });
});
