/**
 * `evaluate` against trec_eval as whole processes, on an mMARCO-dev-sized run:
 * 6,980 queries × 1,000 documents (about 250 MB), RR@10 with `-M 10`. The run
 * is generated (seeded) into a temporary folder. When `trec_eval` is on PATH,
 * both print per-query values once (they must agree), peak RSS is taken with
 * `/usr/bin/time` when present, and `deno bench` prints the time ratio.
 *
 * @module
 */

import { join } from "node:path";
import { Rng } from "../tasks/util/mod.ts";

const QUERIES = 6_980;
const DOCS = 1_000;
const MAIN = join(import.meta.dirname!, "..", "main.ts");

const dir = await Deno.makeTempDir({ prefix: "evaluate_bench_" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const qrelsPath = join(dir, "dev.qrels");
const runPath = join(dir, "dev.run");

/** Writes a run ranked like `score` writes it, and qrels with one relevant document per query. */
async function generate(): Promise<void> {
  const rng = new Rng(1);
  const enc = new TextEncoder();
  const run = await Deno.open(runPath, { write: true, create: true, truncate: true });
  const qrels: string[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const qid = String(1_000_000 + 97 * q);
    const scores = Float64Array.from({ length: DOCS }, () => 10 + 3 * rng.normal()).sort()
      .reverse();
    const lines: string[] = [];
    const first = rng.int(8_000_000);
    for (let d = 0; d < DOCS; d++) {
      lines.push(`${qid} Q0 ${first + 7 * d} ${d + 1} ${scores[d].toFixed(6)} bench\n`);
    }
    await run.write(enc.encode(lines.join("")));
    // Relevant within the top 30 for a third of the queries, else anywhere or not retrieved.
    const rank = q % 3 === 0 ? rng.int(30) : rng.int(1_500);
    qrels.push(`${qid} 0 ${rank < DOCS ? first + 7 * rank : 9_000_000 + q} 1\n`);
  }
  run.close();
  await Deno.writeTextFile(qrelsPath, qrels.join(""));
}

const ours = ["run", "-A", MAIN, "evaluate", qrelsPath, runPath, "-M", "10", "-m", "RR@10"];
const theirs = ["-c", "-M", "10", "-m", "recip_rank", qrelsPath, runPath];

/** Runs a command to the end; returns stdout, and peak RSS (MB) when /usr/bin/time exists. */
async function run(cmd: string, args: string[], time: boolean): Promise<[string, number]> {
  const out = await new Deno.Command(time ? "/usr/bin/time" : cmd, {
    args: time ? ["-f", "%M", cmd, ...args] : args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) throw new Error(`${cmd} failed: ${stderr}`);
  const rss = time ? Number(stderr.split("\n").at(-1)) / 1024 : NaN;
  return [new TextDecoder().decode(out.stdout), rss];
}

const exists = async (cmd: string) =>
  await new Deno.Command(cmd, { args: ["-v"], stdout: "null", stderr: "null" }).output()
    .then(() => true, () => false);

await generate();
const mb = (await Deno.stat(runPath)).size / 1e6;
const hasTrecEval = await exists("trec_eval");
const hasTime = await Deno.stat("/usr/bin/time").then(() => true, () => false);

if (hasTrecEval) {
  // Same values per query (-q), names aside.
  const [a] = await run(Deno.execPath(), [...ours, "-q"], false);
  const [b] = await run("trec_eval", ["-q", ...theirs], false);
  const values = (s: string) => s.trim().split("\n").map((l) => l.split("\t").slice(1).join("\t"));
  if (values(a).join("\n") !== values(b).join("\n")) {
    throw new Error("evaluate and trec_eval print different values");
  }
  if (hasTime) {
    const [, rssOurs] = await run(Deno.execPath(), ours, true);
    const [, rssTheirs] = await run("trec_eval", theirs, true);
    console.log(
      `run ${mb.toFixed(0)} MB; same ${QUERIES + 1} values; peak RSS: evaluate ` +
        `${rssOurs.toFixed(0)} MB, trec_eval ${rssTheirs.toFixed(0)} MB`,
    );
  }
}

Deno.bench({
  name: `evaluate -M 10 -m RR@10, ${QUERIES} queries × ${DOCS} docs (${mb.toFixed(0)} MB)`,
  group: "evaluate",
  n: 3,
  warmup: 0,
}, async () => {
  await run(Deno.execPath(), ours, false);
});

Deno.bench({
  name: "trec_eval -c -M 10 -m recip_rank (same run)",
  group: "evaluate",
  baseline: true,
  n: 3,
  warmup: 0,
  ignore: !hasTrecEval,
}, async () => {
  await run("trec_eval", theirs, false);
});
