import {
  evaluateRun,
  formatRun,
  parseMeasure,
  type Qrels,
  type Run,
} from "../tasks/evaluate/mod.ts";
import { pairedTTest, signFlipTest } from "../tasks/stats/mod.ts";
import { Rng } from "../tasks/util/mod.ts";

// mMARCO dev.small scale: 7,000 queries × 1,000 candidates, about one relevant each.
const QUERIES = 7_000;
const DOCS = 1_000;
const rng = new Rng(1);
const run: Run = new Map();
const qrels: Qrels = new Map();
for (let q = 0; q < QUERIES; q++) {
  const qid = `q${q}`;
  run.set(qid, Array.from({ length: DOCS }, (_, d) => ({ docid: `d${d}`, score: rng.normal() })));
  qrels.set(qid, new Map([[`d${rng.int(DOCS)}`, 1], [`d${rng.int(DOCS)}`, 0]]));
}
const rr10 = [parseMeasure("RR@10")];
const all = ["RR@10", "nDCG@10", "AP", "R@100", "P@10"].map((m) => parseMeasure(m));

Deno.bench(
  "evaluate RR@10, 7,000 queries × 1,000 docs (7M scored docs)",
  { group: "metrics" },
  () => {
    evaluateRun(qrels, run, rr10);
  },
);

Deno.bench("evaluate 5 measures, 7,000 queries × 1,000 docs", { group: "metrics" }, () => {
  evaluateRun(qrels, run, all);
});

const small: Run = new Map([...run].slice(0, 700));
Deno.bench("formatRun, 700 queries × 1,000 docs (700k lines)", () => {
  formatRun(small, "bench");
});

const n = 6_980;
const a = Float64Array.from({ length: n }, () => rng.next());
const b = Float64Array.from(a, (x) => Math.min(1, x + 0.1 * rng.normal()));

Deno.bench("paired t-test, n = 6,980", { group: "significance" }, () => {
  pairedTTest(a, b);
});

Deno.bench("sign-flip Monte Carlo, n = 6,980, 10,000 samples", { group: "significance" }, () => {
  signFlipTest(a, b, { samples: 10_000, seed: 1 });
});

const a20 = a.subarray(0, 20);
const b20 = b.subarray(0, 20);
Deno.bench("sign-flip exact, n = 20 (2^20 patterns)", { group: "significance" }, () => {
  signFlipTest(a20, b20);
});
