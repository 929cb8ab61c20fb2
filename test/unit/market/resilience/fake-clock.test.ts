import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../helpers/fake-clock.ts';

describe('FakeClock', () => {
  it('fires sleeps in time order only when advanced, letting woken code schedule more', async () => {
    const clock = new FakeClock(1_000);
    const log: string[] = [];
    void clock.sleep(300).then(() => log.push(`b@${clock.now()}`));
    void clock
      .sleep(100)
      .then(() => log.push(`a@${clock.now()}`))
      .then(() => clock.sleep(100))
      .then(() => log.push(`a2@${clock.now()}`));
    await clock.advance(99);
    expect(log).toEqual([]);
    await clock.advance(250);
    expect(log).toEqual(['a@1100', 'a2@1200', 'b@1300']);
    expect(clock.now()).toBe(1_349);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects an aborted sleep with the reason and forgets it', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    expect(clock.nextTimerAt()).toBe(1_000);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingTimers).toBe(0);
  });
});
