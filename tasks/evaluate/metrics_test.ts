import { GOLDEN_DIR } from "../fixtures/golden.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { evaluateFiles } from "./stream.ts";
import {
  evaluateRun,
  formatEvaluation,
  formatFixed4,
  parseMeasure,
  rankedRelevances,
  runEvaluate,
} from "./metrics.ts";
import { OptionError, Rng } from "../util/mod.ts";
import { compareTrec, qrelsFrom, type Run } from "./trec.ts";

const GOLDEN = GOLDEN_DIR;

/** Parses trec_eval -q output into trec measure name -> qid -> printed value. */
async function readTrecEval(file: string): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for (const line of (await Deno.readTextFile(join(GOLDEN, file))).split("\n")) {
    if (line.trim() === "") continue;
    const [name, qid, value] = line.split("\t").map((s) => s.trim());
    if (!out.has(name)) out.set(name, new Map());
    out.get(name)!.set(qid, value);
  }
  return out;
}

async function checkGolden(
  file: string,
  measures: Record<string, string>,
  maxDocs?: number,
): Promise<void> {
  const golden = await readTrecEval(file);
  const ms = Object.values(measures).map((m) => parseMeasure(m));
  const ev = await evaluateFiles(join(GOLDEN, "fixture.qrels"), join(GOLDEN, "fixture.run"), ms, {
    maxDocs,
  });
  assert.deepEqual([...golden.keys()].sort(), Object.keys(measures).sort());
  for (const [trecName, ours] of Object.entries(measures)) {
    const expected = golden.get(trecName)!;
    const got = new Map<string, string>(
      [...ev.perQuery.get(ours)!].map(([q, v]) => [q, v.toFixed(4)]),
    );
    got.set("all", ev.mean.get(ours)!.toFixed(4));
    assert.deepEqual(got, expected, `${trecName} (${ours}) differs from trec_eval`);
  }
}

Deno.test("RR@10 with -M 10 matches trec_eval -c per query and overall", async () => {
  await checkGolden("trec_eval.c.M10.recip_rank.txt", { recip_rank: "RR@10" }, 10);
});

Deno.test("nDCG@10 matches trec_eval -c -m ndcg_cut.10", async () => {
  await checkGolden("trec_eval.c.ndcg_cut10.txt", { ndcg_cut_10: "nDCG@10" });
});

Deno.test("AP, R@100 and P@10 match trec_eval -c", async () => {
  await checkGolden("trec_eval.c.map_recall100_P10.txt", {
    map: "AP",
    recall_100: "R@100",
    P_10: "P@10",
  });
});

Deno.test("RR@10 without -M equals RR@10 with -M 10", async () => {
  const files = [join(GOLDEN, "fixture.qrels"), join(GOLDEN, "fixture.run")] as const;
  const m = [parseMeasure("RR@10")];
  assert.deepEqual(
    (await evaluateFiles(...files, m)).perQuery,
    (await evaluateFiles(...files, m, { maxDocs: 10 })).perQuery,
  );
});

Deno.test("ties are broken by docno descending; the rank column is ignored", () => {
  const qrels = qrelsFrom([{ qid: "q", docid: "a", rel: 1 }]);
  const run: Run = new Map([["q", [
    { docid: "a", score: 1 },
    { docid: "c", score: 1 },
    { docid: "b", score: 1 },
  ]]]);
  // Order c, b, a -> the relevant "a" is at rank 3.
  const ev = evaluateRun(qrels, run, [parseMeasure("RR@10"), parseMeasure("P@2")]);
  assert.equal(ev.mean.get("RR@10"), 1 / 3);
  assert.equal(ev.mean.get("P@2"), 0);
  run.get("q")![0].score = 1.0000001;
  assert.equal(evaluateRun(qrels, run, [parseMeasure("RR@10")]).mean.get("RR@10"), 1);
});

Deno.test("ties are broken by docid bytes, also beyond the BMP (trec_eval's strcmp)", () => {
  // UTF-8: U+10000 is F0 90 80 80, U+E000 is EE 80 80; UTF-16 would order them the other way.
  const qrels = qrelsFrom([{ qid: "q", docid: "\u{10000}", rel: 1 }]);
  const run: Run = new Map([["q", [
    { docid: "\uE000", score: 1 },
    { docid: "\u{10000}", score: 1 },
  ]]]);
  assert.equal(evaluateRun(qrels, run, [parseMeasure("RR@10")]).mean.get("RR@10"), 1);
  const byQid = qrelsFrom([{ qid: "\u{10000}", docid: "a", rel: 1 }, {
    qid: "\uE000",
    docid: "a",
    rel: 1,
  }]);
  assert.deepEqual(evaluateRun(byQid, new Map(), [parseMeasure("RR@10")]).qids, [
    "\uE000",
    "\u{10000}",
  ]);
});

Deno.test("formatFixed4 rounds exact ties to even as printf, other values as toFixed", () => {
  assert.equal(formatFixed4(1 / 32), "0.0312");
  assert.equal(formatFixed4(3 / 32), "0.0938");
  assert.equal(formatFixed4(33 / 32), "1.0312");
  assert.equal(formatFixed4(-1 / 32), "-0.0312");
  assert.equal(formatFixed4(1 / 3), "0.3333");
  assert.equal(formatFixed4(0.5), "0.5000");
  assert.equal(formatFixed4(0.03125000000000001), "0.0313");
});

Deno.test("missing queries: qrels-only count as 0 with complete, run-only are ignored", () => {
  const qrels = qrelsFrom([
    { qid: "q1", docid: "a", rel: 2 },
    { qid: "q2", docid: "b", rel: 1 },
    { qid: "q3", docid: "c", rel: 0 }, // judged, but nothing relevant
  ]);
  const run: Run = new Map([
    ["q1", [{ docid: "a", score: 3 }]],
    ["q3", [{ docid: "c", score: 3 }]],
    ["q9", [{ docid: "z", score: 3 }]],
  ]);
  const ms = ["RR@10", "nDCG@10", "AP", "R@100", "P@10"].map((m) => parseMeasure(m));
  const ev = evaluateRun(qrels, run, ms);
  assert.deepEqual(ev.qids, ["q1", "q2", "q3"]);
  assert.equal(ev.mean.get("RR@10"), 1 / 3);
  assert.equal(ev.mean.get("nDCG@10"), 1 / 3);
  assert.equal(ev.perQuery.get("AP")!.get("q3"), 0);
  assert.equal(ev.perQuery.get("P@10")!.get("q1"), 0.1);
  const partial = evaluateRun(qrels, run, ms, { complete: false });
  assert.deepEqual(partial.qids, ["q1", "q3"]);
  assert.equal(partial.mean.get("RR@10"), 1 / 2);
});

Deno.test("nDCG uses graded gains and the ideal ranking of all judged documents", () => {
  const qrels = qrelsFrom([
    { qid: "q", docid: "a", rel: 1 },
    { qid: "q", docid: "b", rel: 3 },
    { qid: "q", docid: "x", rel: 2 }, // never retrieved, still in the ideal
  ]);
  const run: Run = new Map([["q", [{ docid: "a", score: 2 }, { docid: "b", score: 1 }]]]);
  const dcg = 1 + 3 / Math.log2(3);
  const ideal = 3 + 2 / Math.log2(3) + 1 / 2;
  const v = evaluateRun(qrels, run, [parseMeasure("nDCG@10")]).mean.get("nDCG@10")!;
  assert.ok(Math.abs(v - dcg / ideal) < 1e-15);
});

Deno.test("parseMeasure accepts names and aliases and rejects bad ones", () => {
  assert.equal(parseMeasure("MRR@10").name, "RR@10");
  assert.equal(parseMeasure("ndcg@10").trecName, "ndcg_cut_10");
  assert.equal(parseMeasure("MAP").name, "AP");
  assert.equal(parseMeasure("AP").trecName, "map");
  assert.equal(parseMeasure("R@100").params.cutoff, 100);
  for (const bad of ["nDCG", "P", "XYZ@3", "RR@0", "RR@", "RR@1.5", ""]) {
    assert.throws(() => parseMeasure(bad), OptionError, bad);
  }
});

Deno.test("formatEvaluation prints trec_eval-style lines", () => {
  const qrels = qrelsFrom([{ qid: "q1", docid: "a", rel: 1 }, { qid: "q2", docid: "b", rel: 1 }]);
  const run: Run = new Map([["q1", [{ docid: "x", score: 2 }, { docid: "a", score: 1 }]]]);
  const ev = evaluateRun(qrels, run, [parseMeasure("RR@10")]);
  assert.equal(
    formatEvaluation(ev, true),
    "RR@10                 \tq1\t0.5000\nRR@10                 \tq2\t0.0000\n" +
      "RR@10                 \tall\t0.2500\n",
  );
  assert.equal(formatEvaluation(ev), "RR@10                 \tall\t0.2500\n");
});

Deno.test("runEvaluate output equals trec_eval -q output line for line", async () => {
  const golden = await Deno.readTextFile(join(GOLDEN, "trec_eval.c.M10.recip_rank.txt"));
  const ours = await runEvaluate(join(GOLDEN, "fixture.qrels"), join(GOLDEN, "fixture.run"), {
    measure: ["MRR@10"],
    maxDocs: "10",
    perQuery: true,
    complete: true,
  });
  assert.equal(ours, golden.replaceAll("recip_rank            ", "RR@10                 "));
  await assert.rejects(
    () => runEvaluate("x", "y", { measure: [], maxDocs: "ten", complete: true }),
    OptionError,
  );
});

Deno.test("rankedRelevances agrees with a full sort, with few and with many relevant documents", () => {
  const rng = new Rng(4);
  for (const relevant of [1, 5, 40]) {
    const docs = Array.from({ length: 300 }, (_, i) => ({ docid: `d${i}`, score: rng.int(50) }));
    const judged = new Map(docs.slice(0, relevant).map((d, i) => [d.docid, 1 + (i % 3)]));
    judged.set("d299", 0);
    const sorted = [...docs].sort(compareTrec).map((d) => judged.get(d.docid) ?? 0);
    for (const max of [Infinity, 10]) {
      assert.deepEqual([...rankedRelevances(docs, judged, max)], sorted.slice(0, max));
    }
  }
});

Deno.test("the relevance level is a parameter of binary measures (trec_eval -l)", () => {
  const m = parseMeasure("p(rel=2)@10");
  assert.equal(m.name, "P(rel=2)@10");
  assert.deepEqual(m.params, { cutoff: 10, rel: 2 });
  assert.equal(parseMeasure("RR(rel=1)@10").name, "RR@10");
  // Graded gains: nDCG takes no level.
  assert.throws(() => parseMeasure("nDCG(rel=2)@10"), OptionError);
  assert.throws(() => parseMeasure("RR(rel=0)@10"), OptionError);
  const qrels = new Map([["q", new Map([["a", 1], ["b", 2]])]]);
  const run = new Map([["q", [{ docid: "a", score: 2 }, { docid: "b", score: 1 }]]]);
  const ev = evaluateRun(qrels, run, [parseMeasure("RR@10"), m, parseMeasure("AP(rel=2)")]);
  assert.equal(ev.mean.get("RR@10"), 1);
  assert.equal(ev.mean.get("P(rel=2)@10"), 0.1);
  assert.equal(ev.mean.get("AP(rel=2)"), 0.5);
});
