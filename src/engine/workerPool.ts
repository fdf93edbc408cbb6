/**
 * Hunt worker threads kept between hunts. A worker's start costs the engine's modules, the rules
 * compiled again (with every SigmaHQ windows rule, 1-2 s of CPU) and the JIT's warm-up; a pool
 * pays that once. Each worker keeps the rule sets it compiled (worker.ts), keyed by a hash of
 * their sources, and the pool mirrors which it holds, so a second hunt with the same rules sends
 * and compiles nothing. Idle workers end after `idleMs`. A worker that crashed is dropped; one
 * whose hunt was cancelled or failed is told to abort and is reused only once its task has ended.
 *
 * The CLI hunts once per process and uses no pool (parallel.ts then makes one for the hunt alone);
 * the extension keeps one for its lifetime.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RuleSource } from './rules/rule';
import { POOL_WORKER, PoolRequest, touchRuleSet, WorkerMessage, WorkerRules, WorkerTask } from './worker';

/** How long an idle worker is kept: a minute, so that the next hunt of a session finds it warm. */
export const DEFAULT_IDLE_MS = 60_000;

export interface WorkerPoolOptions {
  /** An idle worker ends after this many ms (default DEFAULT_IDLE_MS). */
  idleMs?: number;
  /** Idle workers kept at most (default: the machine's cores); a worker released beyond that ends. */
  maxIdle?: number;
}

/** What the pool has done, for tests and the bench: counts over its life and the workers alive now. */
export interface WorkerPoolStats {
  /** Threads started. */
  started: number;
  /** Rule sets compiled by the workers, as they reported it. */
  compiles: number;
  /** Workers alive: leased, idle or finishing a cancelled task. */
  alive: number;
  idle: number;
  /** Node's threadId of each worker alive, in the order they started. */
  threadIds: number[];
}

/**
 * A worker as one hunt holds it, from `acquire` until `release`. Once released, the handle does
 * nothing: the worker may already be another hunt's.
 */
export class WorkerLease {
  constructor(
    private readonly worker: PooledWorker,
    private readonly number: number,
  ) {}

  private get mine(): boolean {
    return this.worker.state === 'leased' && this.worker.leases === this.number;
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  /** This hunt's listeners: the worker's messages, and its crash or exit. */
  attach(onMessage: (message: WorkerMessage) => void, onFailure: (err: Error) => void): void {
    if (this.mine) this.worker.attach(onMessage, onFailure);
  }

  /** Has the lease's rules made ready; the worker posts `ready` (compiled or not) when they are. */
  prepare(rules: WorkerRules): void {
    if (this.mine) this.worker.prepare(rules);
  }

  /** Hunts a part with the lease's rules (after `prepare`); the worker posts progress, found, then done or error. */
  run(task: WorkerTask): void {
    if (this.mine) this.worker.run(task);
  }

  /** Ends the lease: the worker goes back to the pool, once any task it still runs has been aborted and has ended. */
  release(): void {
    if (this.mine) this.worker.release();
  }
}

/** One worker thread and what the pool knows of it. */
class PooledWorker {
  /** Leases so far: a WorkerLease acts only while its number is the last. */
  leases = 0;
  private onMessage: ((message: WorkerMessage) => void) | undefined;
  private onFailure: ((err: Error) => void) | undefined;
  /** Requests whose reply (ready, done or error) has not come back yet. */
  private pending = 0;
  /** Rule keys the worker holds, mirrored (touchRuleSet, as the worker does). */
  private readonly held: string[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  state: 'leased' | 'idle' | 'draining' | 'dead' = 'leased';
  key = '';

  constructor(
    readonly thread: Worker,
    private readonly pool: WorkerPool,
  ) {}

  get threadId(): number {
    return this.thread.threadId;
  }

  attach(onMessage: (message: WorkerMessage) => void, onFailure: (err: Error) => void): void {
    this.onMessage = onMessage;
    this.onFailure = onFailure;
  }

  prepare(rules: WorkerRules): void {
    const sendRules = !this.held.includes(this.key);
    touchRuleSet(this.held, this.key);
    this.send({ type: 'rules', key: this.key, rules: sendRules ? rules : undefined });
  }

  run(task: WorkerTask): void {
    this.send({ type: 'task', key: this.key, task });
  }

  release(): void {
    this.onMessage = undefined;
    this.onFailure = undefined;
    if (this.pending === 0) this.pool.returned(this);
    else {
      this.state = 'draining';
      this.send({ type: 'abort' });
      this.thread.unref();
      // A task that never ends its abort (it should within a chunk) is not waited for forever.
      this.idleTimer = setTimeout(() => this.end(), this.pool.idleMs);
      this.idleTimer.unref();
    }
  }

  /** From the thread: counted, routed to the hunt, and the worker back to the pool when its last reply of a release came. */
  received(message: WorkerMessage): void {
    if (message.type === 'ready' || message.type === 'done' || message.type === 'error') this.pending--;
    if (message.type === 'ready' && message.compiled) this.pool.counted();
    if (this.state === 'leased') this.onMessage?.(message);
    else if (this.state === 'draining' && this.pending === 0) this.pool.returned(this);
  }

  /** The thread ended or threw without being asked: never reused; the hunt that has it fails. */
  died(err: Error): void {
    if (this.state === 'dead') return;
    const failure = this.state === 'leased' ? this.onFailure : undefined;
    this.end();
    failure?.(err);
  }

  /** Keeps the worker idle until `ms` pass without a lease. */
  rest(ms: number): void {
    clearTimeout(this.idleTimer);
    this.state = 'idle';
    this.thread.unref(); // an idle worker does not keep a Node process alive
    this.idleTimer = setTimeout(() => this.end(), ms);
    this.idleTimer.unref();
  }

  /** Leases the worker for a hunt with rules `key`. */
  lease(key: string): WorkerLease {
    clearTimeout(this.idleTimer);
    this.state = 'leased';
    this.key = key;
    this.thread.ref();
    return new WorkerLease(this, ++this.leases);
  }

  holds(key: string): boolean {
    return this.held.includes(key);
  }

  /** Terminates the thread and forgets it. */
  end(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    clearTimeout(this.idleTimer);
    this.onMessage = undefined;
    this.onFailure = undefined;
    this.pool.forget(this);
    void this.thread.terminate();
  }

  private send(request: PoolRequest): void {
    if (request.type !== 'abort') this.pending++;
    this.thread.postMessage(request);
  }
}

export class WorkerPool {
  private readonly workers: PooledWorker[] = [];
  readonly idleMs: number;
  private readonly maxIdle: number;
  private started = 0;
  private compiles = 0;
  private disposed = false;

  constructor(
    options: WorkerPoolOptions = {},
    /** The worker's script: worker.js beside this module (dist/worker.js in the bundles). */
    private readonly script = path.join(__dirname, 'worker.js'),
  ) {
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.maxIdle = options.maxIdle ?? availableParallelism();
  }

  /** A worker for one hunt with `rules`: an idle one that holds them if any, else any idle one, else a new thread. */
  acquire(rules: WorkerRules): WorkerLease {
    if (this.disposed) throw new Error('the hunt worker pool was disposed');
    const key = rulesKey(rules);
    const idle = this.workers.filter((w) => w.state === 'idle');
    const worker = idle.filter((w) => w.holds(key)).at(-1) ?? idle.at(-1) ?? this.spawn();
    return worker.lease(key);
  }

  stats(): WorkerPoolStats {
    return {
      started: this.started,
      compiles: this.compiles,
      alive: this.workers.length,
      idle: this.workers.filter((w) => w.state === 'idle').length,
      threadIds: this.workers.map((w) => w.threadId),
    };
  }

  /** The threads alive, in the order they started: to watch them (resourceLimits, a test that ends one as a crash would). */
  threads(): Worker[] {
    return this.workers.map((w) => w.thread);
  }

  /** Ends every worker, leased ones too (their hunts fail); acquire throws from now on. */
  dispose(): void {
    this.disposed = true;
    for (const worker of [...this.workers]) worker.died(new Error('the hunt worker pool was disposed'));
  }

  /** A worker reported a rule set compiled. */
  counted(): void {
    this.compiles++;
  }

  /** A released worker is free: kept idle (the most recently used last), or ended when enough are. */
  returned(worker: PooledWorker): void {
    if (this.disposed || this.idleMs <= 0) return worker.end();
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
    this.workers.push(worker);
    worker.rest(this.idleMs);
    const idle = this.workers.filter((w) => w.state === 'idle');
    for (const extra of idle.slice(0, Math.max(0, idle.length - this.maxIdle))) extra.end();
  }

  /** A worker ended. */
  forget(worker: PooledWorker): void {
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
  }

  private spawn(): PooledWorker {
    const worker = new PooledWorker(new Worker(this.script, { workerData: POOL_WORKER }), this);
    this.started++;
    this.workers.push(worker);
    worker.thread.on('message', (message: WorkerMessage) => worker.received(message));
    worker.thread.on('error', (err) => worker.died(err));
    worker.thread.on('exit', (code) => worker.died(new Error(`hunt worker stopped (exit ${code})`)));
    return worker;
  }
}

/** Rule sets are plain data that nobody changes once loaded, so each sources array is hashed once. */
const hashes = new WeakMap<readonly RuleSource[], string>();

/** Names a rule set by its content: the same sources and selection give the same key, whatever the objects. */
export function rulesKey(rules: WorkerRules): string {
  let hash = hashes.get(rules.sources);
  if (hash === undefined) {
    const h = createHash('sha256');
    for (const source of rules.sources) h.update(JSON.stringify(source)).update('\n');
    hash = h.digest('hex');
    hashes.set(rules.sources, hash);
  }
  return `${hash} ${JSON.stringify(rules.selection)}`;
}
