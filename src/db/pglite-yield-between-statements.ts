import type { PGlite, Transaction } from '@electric-sql/pglite';

/** Resolves on the next turn of the event loop, after pending I/O and timers have run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A transaction handle whose statements also wait for the next turn. */
function yieldingTransaction(tx: Transaction): Transaction {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property === 'query' || property === 'exec') {
        const run = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return async (...args: unknown[]) => {
          await nextTurn();
          return run.apply(target, args);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * PGlite runs each statement synchronously in WebAssembly and settles its promise at once, so a
 * job awaiting statement after statement never hands the event loop back: measured, 3,000 inserts
 * in a row let a 1 ms timer fire 0 times, and during 20 concurrent onboardings the embedded server
 * answered no HTTP request for 1.8 s. Waiting for the next turn before each statement lets
 * requests, timers and health checks in between statements, at ~20 µs a statement.
 */
export function yieldBetweenStatements(client: PGlite): void {
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  Object.assign(client, {
    query: async (...args: Parameters<PGlite['query']>) => {
      await nextTurn();
      return query(...args);
    },
    exec: async (...args: Parameters<PGlite['exec']>) => {
      await nextTurn();
      return exec(...args);
    },
    transaction: <T>(callback: (tx: Transaction) => Promise<T>) =>
      transaction((tx) => callback(yieldingTransaction(tx))),
  });
}
