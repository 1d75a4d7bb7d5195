import "server-only";
import type { SqlTx } from "./sql-tx";

/**
 * Work to do once a transaction has committed, and never if it rolls back: a module that writes
 * in someone else's transaction (the webhook outbox) registers it with `afterCommit(tx, fn)`;
 * the transaction runner (inTransaction in lib/leads/store) calls `withAfterCommit` around its
 * transaction and runs the callbacks after the commit.
 */

const callbacksByTx = new WeakMap<SqlTx, (() => void)[]>();

/** Runs `fn` after `tx` commits. Throws when `tx` is not run by `withAfterCommit` (a programming error, not a runtime case). */
export function afterCommit(tx: SqlTx, fn: () => void): void {
  const callbacks = callbacksByTx.get(tx);
  if (!callbacks) throw new Error("afterCommit: this transaction was not started by inTransaction (lib/leads/store)");
  callbacks.push(fn);
}

/**
 * `run` starts one transaction with the given body; the body registers the transaction for
 * afterCommit; when `run` resolves (committed), the callbacks run, in order. A callback's error is
 * the callback's own business: it must not throw (it is called after the caller's work is done).
 */
export async function withAfterCommit<T>(run: (body: (tx: SqlTx) => Promise<T>) => Promise<T>, work: (tx: SqlTx) => Promise<T>): Promise<T> {
  const callbacks: (() => void)[] = [];
  const result = await run((tx) => {
    callbacksByTx.set(tx, callbacks);
    return work(tx);
  });
  for (const callback of callbacks) callback();
  return result;
}
