import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError, UserError } from "../util/mod.ts";
import { evaluateFiles } from "./stream.ts";
import { evaluateRun, formatEvaluation, parseMeasure, runEvaluate } from "./metrics.ts";
import { Rng } from "../util/mod.ts";
import type { Qrels, Run } from "./trec.ts";

/** trec_eval's recorded answers (see testdata/make.sh). */
const CASES = join(import.meta.dirname!, "testdata", "cases");

/**
 * Inputs trec_eval accepts (or crashes on) that we refuse on purpose, with the
 * reason in our message; see the notes of `evaluate_stream.ts`.
 */
const REFUSED_BY_US: Readonly<Record<string, RegExp>> = {
  nan_score: /run:2: score is NaN/,
  qrels_comment_last: /qrels: the last line is a comment/,
};

/** The message we give for each input trec_eval refuses. */
const REFUSAL: Readonly<Record<string, RegExp>> = {
  empty_qrels: /qrels: empty qrels file/,
  blank_qrels: /qrels:1: expected 4 fields .* got a blank line/,
  blank_line_in_qrels: /qrels:2: expected 4 fields .* got a blank line/,
  qrels_five_fields: /qrels:1: expected 4 fields .* got more/,
  qrels_two_comments: /qrels:2: expected 4 fields .* got 2/,
  qrels_duplicate: /qrels:2: duplicate judgement of "a" for query "q"/,
  empty_run: /run: empty run file/,
  run_five_fields: /run:1: expected 6 fields/,
  run_nul: /run:1: NUL byte/,
  duplicate_all: /run:4: duplicate document "a"/,
  duplicate_in_M4: /run:4: duplicate document for query "q"/,
  missing_query: /run: query "z" of the qrels is not in the run/,
};

interface TrecEvalCase {
  name: string;
  args: string[];
  stdout: string;
  exit: number;
}

async function loadCases(): Promise<TrecEvalCase[]> {
  const cases: TrecEvalCase[] = [];
  for await (const e of Deno.readDir(CASES)) {
    const dir = join(CASES, e.name);
    const command = (await Deno.readTextFile(join(dir, "command"))).trim().split(" ");
    cases.push({
      name: e.name,
      args: command.slice(1, -2),
      stdout: await Deno.readTextFile(join(dir, "stdout")),
      exit: Number(await Deno.readTextFile(join(dir, "exit"))),
    });
  }
  return cases.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Our `evaluate` options for trec_eval's, and our measure name -> trec_eval's. */
function translate(args: string[]) {
  const maxDocs = args.includes("-M") ? args[args.indexOf("-M") + 1] : undefined;
  // trec_eval's -l is our binary measures' rel parameter.
  const rel = args.includes("-l") ? `(rel=${args[args.indexOf("-l") + 1]})` : "";
  const names = new Map<string, string>();
  args.forEach((a, i) => {
    if (a !== "-m") return;
    const trec = args[i + 1];
    const [family, k] = trec.split(".");
    // recip_rank has no cutoff: RR@k with k at least the run's depth (-M, else 1000).
    const ours = family === "recip_rank"
      ? `RR${rel}@${maxDocs ?? 1000}`
      : family === "map"
      ? `AP${rel}`
      : family === "P"
      ? `P${rel}@${k}`
      : `nDCG@${k}`;
    names.set(ours, trec.replace(".", "_"));
  });
  return {
    options: {
      measure: [...names.keys()],
      maxDocs,
      perQuery: args.includes("-q"),
      complete: args.includes("-c"),
    },
    names,
  };
}

Deno.test("evaluate prints what trec_eval prints and refuses what it refuses", async () => {
  const cases = await loadCases();
  assert.ok(cases.length >= 25, `only ${cases.length} cases`);
  for (const c of cases) {
    const { options, names } = translate(c.args);
    const dir = join(CASES, c.name);
    const run = () => runEvaluate(join(dir, "qrels"), join(dir, "run"), options);
    const refusal = REFUSED_BY_US[c.name] ?? REFUSAL[c.name];
    if (refusal) {
      assert.ok(c.exit !== 0 || c.name in REFUSED_BY_US, `${c.name}: trec_eval accepted it`);
      await assert.rejects(run, (e: unknown) => {
        assert.ok(e instanceof InputError, `${c.name}: ${e}`);
        assert.match(e.message, new RegExp(`^${dir}/${refusal.source}`), c.name);
        assert.ok(!e.message.includes("\n"));
        return true;
      });
      continue;
    }
    assert.equal(c.exit, 0, `${c.name}: trec_eval refused it, we have no refusal for it`);
    let ours = await run();
    for (const [name, trec] of names) ours = ours.replaceAll(name.padEnd(22), trec.padEnd(22));
    assert.equal(ours, c.stdout, c.name);
  }
});

Deno.test("every case has an expected outcome and trec_eval's exit status agrees with it", async () => {
  for (const c of await loadCases()) {
    if (c.name in REFUSED_BY_US) continue;
    assert.equal(c.exit === 0, !(c.name in REFUSAL), c.name);
  }
});

Deno.test("gzipped runs give the same values as plain ones", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const src = join(CASES, "atof");
    const gz = join(dir, "run.gz");
    const bytes = await Deno.readFile(join(src, "run"));
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
    await Deno.writeFile(gz, stream);
    const ms = [parseMeasure("RR@100")];
    assert.deepEqual(
      await evaluateFiles(join(src, "qrels"), gz, ms),
      await evaluateFiles(join(src, "qrels"), join(src, "run"), ms),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("streamed evaluation equals the in-memory one on random runs, lines shuffled or not", async () => {
  const rng = new Rng(7);
  const dir = await Deno.makeTempDir();
  try {
    const qrels: Qrels = new Map();
    const run: Run = new Map();
    const lines: string[] = [];
    const qrelLines: string[] = [];
    for (let q = 0; q < 30; q++) {
      const qid = `q${q}`;
      const judged = new Map<string, number>();
      for (let j = 0; j < 1 + rng.int(6); j++) judged.set(`d${rng.int(60)}`, rng.int(4) - 1);
      qrels.set(qid, judged);
      for (const [d, rel] of judged) qrelLines.push(`${qid} 0 ${d} ${rel}\n`);
      if (q % 7 === 6) continue; // a qrels query missing from the run
      // Some queries deeper than the first duplicate hash table (256 slots).
      const depth = q % 5 === 0 ? 700 : 50;
      const docs = Array.from({ length: depth }, (_, i) => ({ docid: `d${i}`, score: rng.int(9) }));
      run.set(qid, docs);
      for (const d of docs) lines.push(`${qid} Q0 ${d.docid} 0 ${d.score} t\n`);
    }
    await Deno.writeTextFile(join(dir, "qrels"), qrelLines.join(""));
    await Deno.writeTextFile(join(dir, "run"), lines.join(""));
    const shuffled = [...lines];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    await Deno.writeTextFile(join(dir, "shuffled"), shuffled.join(""));
    const ms = ["RR@10", "nDCG@10", "AP", "R@20", "P@5", "AP@7"].map((m) => parseMeasure(m));
    for (const maxDocs of [undefined, 3, 10, 1000]) {
      const expected = formatEvaluation(evaluateRun(qrels, run, ms, { maxDocs }), true);
      for (const file of ["run", "shuffled"]) {
        const ev = await evaluateFiles(join(dir, "qrels"), join(dir, file), ms, { maxDocs });
        assert.equal(formatEvaluation(ev, true), expected, `${file}, -M ${maxDocs}`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing or corrupt input is a one-line error naming it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const qrels = join(CASES, "bmp_tie", "qrels");
    await Deno.writeFile(join(dir, "bad.gz"), new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    for (
      const [run, what] of [[join(dir, "nope"), /not found/], [dir, /is a directory/], [
        join(dir, "bad.gz"),
        /not a valid gzip file/,
      ]] as const
    ) {
      await assert.rejects(() => evaluateFiles(qrels, run, [parseMeasure("RR@10")]), (e) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, new RegExp(`^${run}: `));
        assert.match(e.message, what);
        return true;
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
