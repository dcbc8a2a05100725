/**
 * Runs stages of a plan: a stage's dependencies first, then the stage itself,
 * through the one stage cache (a cached stage whose output exists is read, not
 * run). Each stage runs at most once per runner.
 *
 * @module
 */

import { join } from "node:path";
import { buildStage, readCachedStage, stageDir, UserError } from "../util/mod.ts";
import type { Plan, RunTimings, Stage, StageInputs, StageOutput } from "./stage.ts";

/**
 * Where a stage stands before a run.
 *
 * @example
 * ```ts
 * const stageStatus: StageStatus = "cached";
 * ```
 */
export type StageStatus = "cached" | "pending" | "memory";

/**
 * Options of a {@linkcode Runner}.
 *
 * @example
 * ```ts
 * declare const runnerOptions: RunnerOptions;
 * runnerOptions.readOnly;
 * ```
 */
export interface RunnerOptions {
  /**
   * Never write the cache: a cached stage whose output is missing but whose
   * value another stage's key needs is built in a temporary directory that is
   * removed right after (`plan` computes keys this way).
   */
  readOnly?: boolean;
}

/**
 * Executes the stages of one plan.
 *
 * @example
 * ```ts
 * import { getProfile } from "../profiles/mod.ts";
 * import { resolveConfig } from "./reproduce.ts";
 * import { planRun } from "./stages.ts";
 * const profile = getProfile("xquad-r");
 * const runner = new Runner(planRun(await resolveConfig({ profile, scale: profile.scales.quick })));
 * await runner.status("trainset"); // "cached" or "pending"
 * ```
 */
export class Runner {
  readonly #plan: Plan;
  readonly #log: (line: string) => void;
  readonly #outputs = new Map<string, Promise<StageOutput>>();
  readonly #keys = new Map<string, Promise<unknown>>();
  /** Seconds per stage id, in the order stages finished. */
  readonly #seconds: Record<string, number> = {};
  readonly #phases: Record<string, Record<string, number>> = {};
  /** Start and end (ms on `performance.now()`) of each stage run, here or in a child process. */
  readonly #spans = new Map<string, [number, number]>();
  readonly #t0 = performance.now();
  readonly #inputs: StageInputs;
  readonly #readOnly: boolean;
  #adopted = 0;

  /**
   * @example
   * ```ts
   * import { planRun } from "./stages.ts";
   * declare const plan: ReturnType<typeof planRun>;
   * const runner = new Runner(plan, (line) => console.error(line));
   * await runner.output("trainset");
   * ```
   */
  constructor(plan: Plan, log: (line: string) => void = () => {}, opts: RunnerOptions = {}) {
    this.#plan = plan;
    this.#log = log;
    this.#readOnly = opts.readOnly ?? false;
    this.#inputs = {
      config: plan.config,
      output: <V>(id: string) => this.output(id) as Promise<StageOutput<V>>,
      key: (id) => this.key(id),
      log,
      timings: () => this.timings(),
      phases: (id, seconds) => {
        this.#phases[id] = seconds;
      },
    };
  }

  /** Seconds of the stages run so far, per kind, per stage, per phase and per seed. */
  timings(): RunTimings {
    const kinds: Record<string, number> = {};
    for (const [id, v] of Object.entries(this.#seconds)) {
      const kind = id.split("/")[0];
      kinds[kind] = (kinds[kind] ?? 0) + v;
    }
    const round = (r: Record<string, number>, digits: number) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(digits))]));
    return {
      wall: Number(((performance.now() - this.#t0) / 1000).toFixed(1)),
      kinds: round(kinds, 1),
      seeds: round(seedWall(this.#spans), 1),
      stages: round(this.#seconds, 1),
      phases: Object.fromEntries(Object.entries(this.#phases).map(([id, p]) => [id, round(p, 2)])),
    };
  }

  /**
   * Records a stage that another process ran for this run (a local job pool):
   * its own seconds and phases, and when (on this process's `performance.now()`)
   * it was handed out and reported done, count in {@linkcode timings} as if run here.
   */
  record(
    id: string,
    seconds: number,
    span: [number, number],
    phases?: Record<string, number>,
  ): void {
    this.#seconds[id] = seconds;
    this.#spans.set(id, span);
    if (phases) this.#phases[id] = phases;
  }

  /** The stage-cache root: `<cacheDir>/stages`. */
  get root(): string {
    return join(this.#plan.config.fetch.cacheDir, "stages");
  }

  /** The stage with this id; a UserError naming the known ids' form when there is none. */
  stage(id: string): Stage {
    const s = this.#plan.stages.get(id);
    if (!s) {
      const kinds = [...new Set([...this.#plan.stages.keys()].map((k) => k.split("/")[0]))];
      throw new UserError(
        `unknown stage "${id}": expected an id of this run's plan (kinds: ${kinds.join(", ")}; ` +
          "see `deno task plan`)",
      );
    }
    return s;
  }

  /** The content key of a cached stage (computing it may run in-memory data stages). */
  key(id: string): Promise<unknown> {
    let k = this.#keys.get(id);
    if (!k) {
      const s = this.stage(id);
      if (!s.key) throw new Error(`stage ${id} has no content key`);
      this.#keys.set(id, k = s.key(this.#inputs));
    }
    return k;
  }

  /** Whether a stage is cached, pending or held in memory. */
  async status(id: string): Promise<StageStatus> {
    const s = this.stage(id);
    if (!s.cache) return "memory";
    const done = await readCachedStage(this.root, s.cache, await this.key(id), {
      log: this.#log,
      presenceOnly: true,
    });
    return done ? "cached" : "pending";
  }

  /** The output directory of a cached stage. */
  async dir(id: string): Promise<string | undefined> {
    const s = this.stage(id);
    return s.cache ? stageDir(this.root, s.cache, await this.key(id)) : undefined;
  }

  /** The output of a stage: from the cache, or run after its dependencies. */
  output(id: string): Promise<StageOutput> {
    let o = this.#outputs.get(id);
    if (!o) this.#outputs.set(id, o = this.#run(this.stage(id)));
    return o;
  }

  async #run(s: Stage): Promise<StageOutput> {
    if (s.cache) {
      const key = await this.key(s.id);
      // Read-only runs (plan) may not adopt: that writes a sidecar.
      const opts = { log: this.#log, presenceOnly: this.#readOnly };
      const done = await readCachedStage(this.root, s.cache, key, opts);
      if (done) {
        if (done.adopted) this.#adopted++;
        this.#log(`${s.id}: cached`);
        return { id: s.id, ...done, key };
      }
      for (const d of s.deps) await this.output(d);
      if (this.#readOnly) return { id: s.id, key, ...await this.#runTemporary(s) };
      const r = await this.#timed(
        s,
        () => buildStage(this.root, s.cache!, key, (dir) => s.run(this.#inputs, dir), opts),
      );
      if (r.adopted) this.#adopted++;
      this.#log(`${s.id}: ${r.cached ? "cached" : "built"}`);
      return { id: s.id, ...r, key };
    }
    for (const d of s.deps) await this.output(d);
    const value = await this.#timed(s, () => s.run(this.#inputs, ""));
    return { id: s.id, value, cached: false };
  }

  /**
   * Logs what this runner's reads amount to: one line when stages written
   * before output verification were adopted (not one per stage).
   */
  finish(): void {
    if (this.#adopted > 0) {
      this.#log(
        `adopted ${this.#adopted} cached stage(s) written before output verification: ` +
          "their outputs' sizes and sha256 are now recorded and checked on every reuse",
      );
    }
  }

  async #runTemporary(s: Stage): Promise<{ value: unknown; cached: false }> {
    const tmp = await Deno.makeTempDir({ prefix: "csclir-plan-" });
    try {
      this.#log(`${s.id}: not cached; built in a temporary directory for the keys that read it`);
      return { value: await s.run(this.#inputs, tmp), cached: false };
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  }

  async #timed<T>(s: Stage, f: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      const t1 = performance.now();
      this.#seconds[s.id] = (t1 - t0) / 1000;
      this.#spans.set(s.id, [t0, t1]);
    }
  }
}

/**
 * Wall seconds per seed (`seed<N>`): from the later of its first stage's
 * start and the previous seed's last end, to its last stage's end. Stages run
 * seed by seed, so the seeds' figures add up to the per-seed part of a run.
 */
function seedWall(spans: ReadonlyMap<string, [number, number]>): Record<string, number> {
  const bySeed = new Map<number, [number, number]>();
  for (const [id, [a, b]] of spans) {
    const m = /\/seed(\d+)$/.exec(id);
    if (!m) continue;
    const seed = Number(m[1]);
    const span = bySeed.get(seed);
    bySeed.set(seed, span ? [Math.min(span[0], a), Math.max(span[1], b)] : [a, b]);
  }
  const out: Record<string, number> = {};
  let previousEnd = -Infinity;
  for (const [seed, [a, b]] of [...bySeed].sort(([x], [y]) => x - y)) {
    out[`seed${seed}`] = (b - Math.max(a, previousEnd)) / 1000;
    previousEnd = Math.max(previousEnd, b);
  }
  return out;
}
