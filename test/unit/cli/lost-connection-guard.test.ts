import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  surviveLostConnections,
  type GuardedProcess,
} from '../../../src/cli/lost-connection-guard.ts';

function fakeProcess() {
  const events = new EventEmitter();
  const exits: number[] = [];
  const proc = {
    on: (event: 'unhandledRejection', listener: (reason: unknown) => void) =>
      events.on(event, listener),
    exit: ((code: number) => {
      exits.push(code);
    }) as GuardedProcess['exit'],
  };
  const logged: { level: string; message: string }[] = [];
  const logger = {
    warn: (_o: object, message: string) => logged.push({ level: 'warn', message }),
    fatal: (_o: object, message: string) => logged.push({ level: 'fatal', message }),
  };
  return { events, exits, proc, logged, logger };
}

describe('surviving a lost database connection', () => {
  it('logs a lost connection (PostgreSQL restarting) and carries on', () => {
    const f = fakeProcess();
    surviveLostConnections(f.logger, () => false, f.proc);
    f.events.emit(
      'unhandledRejection',
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
    );
    f.events.emit(
      'unhandledRejection',
      Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    );
    expect(f.exits).toEqual([]);
    expect(f.logged.map((l) => l.level)).toEqual(['warn', 'warn']);
  });

  it('still ends the process (exit 1) on any other unhandled rejection', () => {
    const f = fakeProcess();
    surviveLostConnections(f.logger, () => false, f.proc);
    f.events.emit(
      'unhandledRejection',
      Object.assign(new Error('syntax error'), { code: '42601' }),
    );
    expect(f.exits).toEqual([1]);
    expect(f.logged).toEqual([{ level: 'fatal', message: 'unhandled rejection' }]);
  });

  it('says nothing once the process is stopping', () => {
    const f = fakeProcess();
    surviveLostConnections(f.logger, () => true, f.proc);
    f.events.emit('unhandledRejection', new Error('pool is closing'));
    expect(f.exits).toEqual([]);
    expect(f.logged).toEqual([]);
  });
});
