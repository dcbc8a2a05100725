import assert from "node:assert/strict";
import { hostname } from "node:os";
import { join } from "node:path";
import {
  acquireLock,
  LOCK_STALE_MS,
  ownerAlive,
  tempName,
  tempOwner,
  thisJob,
  withLock,
} from "./lock.ts";

Deno.test("temporary names carry their owner; dead owners are told from live ones", () => {
  const name = tempName("/x/v1").split("/").at(-1)!;
  assert.deepEqual(tempOwner("v1", name), { host: hostname(), pid: Deno.pid });
  assert.deepEqual(tempOwner("v1", "v1.tmp-4242"), { host: hostname(), pid: 4242 });
  assert.deepEqual(tempOwner("v1", "v1.tmp-a-b.c-7-3"), { host: "a-b.c", pid: 7 });
  assert.equal(tempOwner("v1", "v10.tmp-7-3"), undefined);
  assert.equal(ownerAlive({ host: hostname(), pid: Deno.pid }), true);
  assert.equal(ownerAlive({ host: hostname(), pid: 2 ** 22 + 17 }), false);
  assert.equal(ownerAlive({ host: "another-node", pid: 2 ** 22 + 17 }), true);
});

Deno.test("a lock waits for a live owner and takes over once its heartbeat stops", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "s.lock");
  try {
    // Held on another host: its pid cannot be checked, only its heartbeat.
    const rec = { host: "another-node", pid: 1, started: new Date().toISOString() };
    await Deno.writeTextFile(path, JSON.stringify(rec));
    const waits: string[] = [];
    let got = false;
    const taking = acquireLock(path, (o) => waits.push(o)).then((l) => (got = true, l));
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(got, false);
    assert.deepEqual(waits, ["process 1 on another-node"]);
    const old = new Date(Date.now() - LOCK_STALE_MS - 1000);
    await Deno.utime(path, old, old);
    const lock = await taking;
    assert.equal(JSON.parse(await Deno.readTextFile(path)).pid, Deno.pid);
    await lock.release();
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
    // Mutual exclusion within one process too.
    const order: string[] = [];
    await Promise.all(["a", "b"].map((n) =>
      withLock(path, async () => {
        order.push(`${n}+`);
        await new Promise((r) => setTimeout(r, 50));
        order.push(`${n}-`);
      })
    ));
    assert.deepEqual(order.map((o) => o.at(-1)), ["+", "-", "+", "-"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lock of a dead process on this host is taken over at once; a live one's is not", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "s.lock");
  try {
    // A process that has exited: its pid is free.
    const child = new Deno.Command("true").spawn();
    const { pid } = child;
    await child.status;
    const rec = { host: hostname(), pid, started: new Date().toISOString(), job: "77_3" };
    await Deno.writeTextFile(path, JSON.stringify(rec));
    const t0 = performance.now();
    const lock = await acquireLock(path, () => assert.fail("a dead owner's lock was waited for"));
    assert.ok(performance.now() - t0 < LOCK_STALE_MS / 10);
    const mine = JSON.parse(await Deno.readTextFile(path));
    assert.equal(mine.pid, Deno.pid);
    assert.equal(mine.job, thisJob());
    await lock.release();
    // A live process on this host (a sleeping child) keeps its lock, heartbeat fresh.
    const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
    try {
      // No job: Slurm is not asked (that is the Slurm test's part).
      await Deno.writeTextFile(path, JSON.stringify({ ...rec, pid: sleeper.pid, job: undefined }));
      const waits: string[] = [];
      let got = false;
      const taking = acquireLock(path, (o) => waits.push(o)).then((l) => (got = true, l));
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(got, false);
      assert.deepEqual(waits, [`process ${sleeper.pid} on ${hostname()}`]);
      sleeper.kill();
      await sleeper.status;
      await (await taking).release();
    } finally {
      try {
        sleeper.kill();
      } catch { /* already ended */ }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the Slurm job of this process: array task, plain job or none", () => {
  assert.equal(
    thisJob({ SLURM_ARRAY_JOB_ID: "12", SLURM_ARRAY_TASK_ID: "3", SLURM_JOB_ID: "15" }),
    "12_3",
  );
  assert.equal(thisJob({ SLURM_JOB_ID: "15" }), "15");
  assert.equal(thisJob({}), undefined);
});
