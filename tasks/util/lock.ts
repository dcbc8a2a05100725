/**
 * Locks between processes that share a cache directory, on one host or on a
 * shared file system between hosts: a lock is a file created atomically
 * (`createNew`, O_EXCL) that records its owner's host, pid, Slurm job (when it
 * runs as one), start time and a heartbeat (the file's mtime, touched while
 * the lock is held). A lock is stale when its owner is a dead process on this
 * host, when its Slurm job has ended (asked of `squeue`, at most every
 * {@linkcode JOB_CHECK_MS}: a cancelled task or a lost node), or when its
 * heartbeat is older than {@linkcode LOCK_STALE_MS} (any other owner that
 * stopped, e.g. a Kubernetes pod). Temporary names carry the same owner
 * (`tmp-<host>-<pid>-<n>`), so leftovers of dead processes can be told from
 * live work.
 *
 * @module
 */

import { hostname } from "node:os";
import { runCommand } from "./command.ts";
import { onPath } from "./fs_errors.ts";

/** Heartbeat period of a held lock. */
const HEARTBEAT_MS = 10_000;
/**
 * A lock whose heartbeat is older than this is stale, whoever holds it.
 *
 * @example
 * ```ts
 * LOCK_STALE_MS > 10_000; // several missed heartbeats
 * ```
 */
export const LOCK_STALE_MS = 120_000;
/** Poll period while waiting for a live lock. */
const POLL_MS = 250;
/**
 * How often a waiter asks Slurm whether a lock's job still runs.
 *
 * @example
 * ```ts
 * JOB_CHECK_MS < LOCK_STALE_MS; // a dead job is noticed before its heartbeat ages out
 * ```
 */
export const JOB_CHECK_MS = 5_000;

/**
 * This process as a lock or temporary-name owner.
 *
 * @example
 * ```ts
 * const me: Owner = thisOwner();
 * me.pid === Deno.pid; // true
 * ```
 */
export interface Owner {
  /** Host name. */
  host: string;
  /** Process id on that host. */
  pid: number;
}

/**
 * The owner record of this process.
 *
 * @example
 * ```ts
 * thisOwner().host; // e.g. "node17"
 * ```
 */
export function thisOwner(): Owner {
  return { host: hostname(), pid: Deno.pid };
}

/**
 * Whether an owner may still be running: true for other hosts (their locks
 * age out by heartbeat instead), and on this host whether the pid exists.
 *
 * @example
 * ```ts
 * ownerAlive(thisOwner()); // true
 * ```
 */
export function ownerAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === Deno.pid) return true;
  try {
    Deno.statSync(`/proc/${owner.pid}`);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    return true; // no /proc (not Linux): rely on the heartbeat
  }
}

let counter = 0;

/**
 * A temporary name beside `path`, unique across processes and hosts:
 * `<path>.tmp-<host>-<pid>-<n>`.
 *
 * @example
 * ```ts
 * tempName("out/model"); // "out/model.tmp-node17-4242-1"
 * ```
 */
export function tempName(path: string): string {
  const { host, pid } = thisOwner();
  return `${path}.tmp-${host}-${pid}-${++counter}`;
}

/**
 * The owner encoded in a temporary name made by {@linkcode tempName} for
 * `base`, or undefined when `name` is not one. Names of older versions
 * (`<base>.tmp-<pid>` and `<base>.tmp-<pid>-<n>`) are read as this host's.
 *
 * @example
 * ```ts
 * tempOwner("v1", "v1.tmp-node17-4242-3"); // { host: "node17", pid: 4242 }
 * tempOwner("v1", "v1.tmp-4242"); // { host: <this host>, pid: 4242 }
 * ```
 */
export function tempOwner(base: string, name: string): Owner | undefined {
  const prefix = `${base}.tmp-`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  const m = /^(?:(.+)-)?(\d+)-(\d+)$/.exec(rest) ?? /^()(\d+)$/.exec(rest);
  if (!m) return undefined;
  return { host: m[1] || hostname(), pid: Number(m[2]) };
}

/**
 * The Slurm job this process runs in (`<array job>_<task>` for an array task),
 * or undefined outside Slurm.
 *
 * @example
 * ```ts
 * thisJob({ SLURM_ARRAY_JOB_ID: "12", SLURM_ARRAY_TASK_ID: "3", SLURM_JOB_ID: "15" }); // "12_3"
 * thisJob({}); // undefined
 * ```
 */
export function thisJob(env: Record<string, string | undefined> = Deno.env.toObject()):
  | string
  | undefined {
  if (env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID) {
    return `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}`;
  }
  return env.SLURM_JOB_ID || undefined;
}

/** Slurm states of a job that has not ended (squeue's long names). */
const ACTIVE_STATES = new Set([
  "PENDING",
  "RUNNING",
  "CONFIGURING",
  "COMPLETING",
  "SUSPENDED",
  "REQUEUED",
  "REQUEUE_HOLD",
  "REQUEUE_FED",
  "RESIZING",
  "SIGNALING",
  "STAGE_OUT",
]);

/**
 * Whether a Slurm job is still active: true or false from `squeue`, undefined
 * when Slurm cannot be asked (not installed, controller unreachable); then
 * only the heartbeat tells.
 *
 * @example
 * ```ts
 * await slurmJobActive("12_3"); // false once the array task has ended
 * ```
 */
export async function slurmJobActive(job: string): Promise<boolean | undefined> {
  const r = await runCommand("squeue", ["-h", "-t", "all", "-j", job, "-o", "%T"]);
  if (r === undefined) return undefined;
  // A job the controller no longer holds (purged after it ended).
  if (r.code !== 0) return /invalid job id/i.test(r.stderr) ? false : undefined;
  const states = r.stdout.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (states.length === 0) return false;
  return states.some((s) => ACTIVE_STATES.has(s));
}

interface LockRecord extends Owner {
  /** When the lock was taken (ISO time). */
  started: string;
  /** The owner's Slurm job, when it runs in one. */
  job?: string;
}

/**
 * A held lock; {@linkcode Lock.release} removes it.
 *
 * @example
 * ```ts
 * const lock: Lock = await acquireLock("/tmp/cache/stages/model/ab.lock");
 * await lock.release();
 * ```
 */
export interface Lock {
  /** The lock file. */
  path: string;
  /** Stops the heartbeat and removes the lock file. */
  release(): Promise<void>;
}

async function readRecord(path: string): Promise<{ rec?: LockRecord; mtime: number } | undefined> {
  try {
    const st = await Deno.stat(path);
    let rec: LockRecord | undefined;
    try {
      rec = JSON.parse(await Deno.readTextFile(path));
    } catch {
      rec = undefined; // being written, or torn: judged by its age alone
    }
    return { rec, mtime: st.mtime?.getTime() ?? 0 };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * Why a lock file is stale, or undefined while its owner may be at work.
 * `askJob` says whether to ask Slurm about the owner's job this time.
 */
async function staleness(
  l: { rec?: LockRecord; mtime: number },
  askJob: boolean,
): Promise<string | undefined> {
  if (Date.now() - l.mtime > LOCK_STALE_MS) return "its heartbeat stopped";
  if (l.rec && !ownerAlive(l.rec)) return `process ${l.rec.pid} on ${l.rec.host} is gone`;
  if (askJob && l.rec?.job && await slurmJobActive(l.rec.job) === false) {
    return `Slurm job ${l.rec.job} on ${l.rec.host} has ended`;
  }
  return undefined;
}

/**
 * Removes a stale lock. Takers serialise on `<lock>.takeover` (itself created
 * atomically) and re-read the lock under it, so a fresh lock created by a
 * faster taker is never removed.
 */
async function takeOver(path: string, seen: { mtime: number }): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    (await Deno.open(guard, { createNew: true, write: true })).close();
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    // A taker killed between creating and removing the guard leaves it; it ages out.
    const st = await Deno.stat(guard).catch(() => undefined);
    if (st && Date.now() - (st.mtime?.getTime() ?? 0) > LOCK_STALE_MS) {
      await Deno.remove(guard).catch(() => {});
    }
    return;
  }
  try {
    const now = await readRecord(path);
    // The lock judged stale, untouched since: a live owner's heartbeat or a fresh lock moves mtime.
    if (now && now.mtime === seen.mtime) await Deno.remove(path);
  } finally {
    await Deno.remove(guard).catch(() => {});
  }
}

/**
 * Takes the lock at `path`, waiting while a live owner holds it and taking
 * over a stale one. `onWait` is called once when the lock is busy.
 *
 * @example
 * ```ts
 * const lock = await acquireLock("/tmp/x.lock", (owner) => console.error(`waiting for ${owner}`));
 * try {
 *   // exclusive work
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export async function acquireLock(
  path: string,
  onWait?: (owner: string) => void,
): Promise<Lock> {
  let waited = false;
  let jobChecked = 0;
  for (;;) {
    try {
      const file = await Deno.open(path, { createNew: true, write: true });
      const job = thisJob();
      const rec: LockRecord = {
        ...thisOwner(),
        started: new Date().toISOString(),
        ...(job ? { job } : {}),
      };
      await file.write(new TextEncoder().encode(JSON.stringify(rec) + "\n"));
      file.close();
      const beat = setInterval(() => {
        const now = new Date();
        Deno.utime(path, now, now).catch(() => {});
      }, HEARTBEAT_MS);
      Deno.unrefTimer(beat);
      return {
        path,
        async release() {
          clearInterval(beat);
          await Deno.remove(path).catch(() => {});
        },
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) {
        return await onPath(path, () => Promise.reject(e));
      }
    }
    const held = await readRecord(path);
    if (!held) continue;
    const askJob = Date.now() - jobChecked >= JOB_CHECK_MS;
    if (askJob) jobChecked = Date.now();
    if (await staleness(held, askJob)) {
      await takeOver(path, held);
      continue;
    }
    if (!waited && onWait) {
      const job = held.rec?.job ? ` (Slurm job ${held.rec.job})` : "";
      onWait(held.rec ? `process ${held.rec.pid} on ${held.rec.host}${job}` : "another process");
    }
    waited = true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Runs `fn` holding the lock at `path`.
 *
 * @example
 * ```ts
 * const n = await withLock("/tmp/y.lock", async () => 42);
 * ```
 */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  onWait?: (owner: string) => void,
): Promise<T> {
  const lock = await acquireLock(path, onWait);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
