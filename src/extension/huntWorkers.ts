/**
 * The extension's hunt worker threads: one pool (src/engine/workerPool.ts) for the extension's
 * lifetime, passed to every hunt, so that a second hunt of a session pays no thread start, rule
 * compile or JIT warm-up. Idle workers end after a minute; deactivating ends them all.
 */
import { WorkerPool } from '../engine';

let pool: WorkerPool | undefined;

/** The pool, made on first use (a session that hunts nothing large starts no thread). */
export function huntWorkers(): WorkerPool {
  return (pool ??= new WorkerPool());
}

/** Ends every worker; a later hunt makes a new pool. */
export function disposeHuntWorkers(): void {
  pool?.dispose();
  pool = undefined;
}
