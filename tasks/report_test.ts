import assert from "node:assert/strict";
import { join } from "node:path";
import {
  buildMainTable,
  cellKey,
  type CellResult,
  checkClaims,
  claimsCsv,
  claimsMarkdown,
  heatmapSvg,
  mainTableCsv,
  mainTableMarkdown,
  METHODS,
  RESULT_FILES,
  type Setting,
  writeResultVersion,
} from "./report.ts";
import { XQUAD_R } from "./profile.ts";
import { Rng } from "./rng.ts";

const QUERIES = 60;
const RR = [0, 0, 0.1, 0.2, 0.25, 1 / 3, 0.5, 1];

/** Synthetic per-query RR values: `shift` moves each query up the RR ladder with that probability. */
function synth(
  method: string,
  setting: Setting,
  pair: string,
  seed: number,
  shift: number,
): CellResult {
  const base = new Rng(
    7,
    pair.length * 131 + pair.charCodeAt(0) + pair.charCodeAt(pair.length - 1),
  );
  const noise = new Rng(seed, method.length * 17 + pair.charCodeAt(1));
  const perQuery = new Map<string, number>();
  for (let q = 0; q < QUERIES; q++) {
    let level = base.int(RR.length);
    if (noise.next() < shift) level = Math.min(RR.length - 1, level + 2);
    if (noise.next() < 0.05) level = Math.max(0, level - 1);
    perQuery.set(`q${String(q).padStart(3, "0")}`, RR[level]);
  }
  return { method, setting, pair, seed, perQuery };
}

function fixture(): CellResult[] {
  const out: CellResult[] = [];
  const shifts: Record<string, number> = {
    [METHODS.zeroShot]: 0,
    [METHODS.blcs]: 0.02,
    [METHODS.mlcs]: 0.6,
    [METHODS.ttZeroShot]: 0.1,
  };
  const cells: [Setting, string][] = [
    ["MoIR", "en"],
    ["MoIR", "de"],
    ["CLIR", "en-de"],
    ["CLIR", "ar-ru"],
    ["CLIR", "en-el"],
    ["MLIR", "mlir-seen"],
  ];
  for (const [method, shift] of Object.entries(shifts)) {
    for (const [setting, pair] of cells) {
      // MoIR stays flat for every method; distant pairs gain more for ML-CS.
      const s = setting === "MoIR" ? 0 : pair === "ar-ru" ? Math.min(1, shift * 1.5) : shift;
      for (const seed of [1, 2, 3]) out.push(synth(method, setting, pair, seed, s));
    }
  }
  return out;
}

const OPTIONS = { profile: XQUAD_R, bootstrapResamples: 500, signFlipSamples: 500 };

Deno.test("main table: ordering, mean ± sd over seeds, significance markers, caption", () => {
  const results = fixture();
  const t = buildMainTable(results, OPTIONS);
  assert.deepEqual(t.methods, [METHODS.zeroShot, METHODS.blcs, METHODS.mlcs, METHODS.ttZeroShot]);
  assert.deepEqual(
    t.columns.map((c) => `${c.setting}:${c.pair}`),
    [
      "MoIR:en",
      "MoIR:de",
      "MoIR:AVG",
      "CLIR:en-de",
      "CLIR:ar-ru",
      "CLIR:en-el",
      "CLIR:AVG",
      "MLIR:mlir-seen",
      "MLIR:AVG",
    ],
  );
  // Mean and sd over seeds, checked by hand for one cell.
  const seedMeans = results.filter((r) => r.method === METHODS.mlcs && r.pair === "en-de")
    .map((r) => [...r.perQuery.values()].reduce((s, v) => s + v, 0) / QUERIES);
  const m = seedMeans.reduce((s, v) => s + v, 0) / 3;
  const sd = Math.sqrt(seedMeans.reduce((s, v) => s + (v - m) ** 2, 0) / 2);
  const cell = t.cells.get(cellKey(METHODS.mlcs, "CLIR", "en-de"))!;
  assert.ok(Math.abs(cell.mean - m) < 1e-12 && Math.abs(cell.sd - sd) < 1e-12);
  assert.ok(cell.test!.significant, "a large shift is significant after Bonferroni");
  assert.ok(cell.test!.pCorrected >= cell.test!.p);
  assert.ok(cell.test!.ciLow > 0 && cell.test!.ciLow < cell.test!.delta);
  assert.equal(t.cells.get(cellKey(METHODS.zeroShot, "CLIR", "en-de"))!.test, undefined);
  assert.equal(t.cells.get(cellKey(METHODS.blcs, "MoIR", "de"))!.test!.significant, false);
  const md = mainTableMarkdown(t);
  assert.match(
    md,
    /paired two-sided t-test, Bonferroni-corrected over the 18 method × pair comparisons/,
  );
  assert.match(md, /mean ± sd over seeds 1, 2, 3/);
  const row = md.split("\n").find((l) => l.startsWith("| ML-CS |") && l.includes("†"));
  assert.ok(row, md);
  assert.match(row!, /\d+\.\d ± \d+\.\d†/);
});

Deno.test("best-of-seeds option picks each cell's best seed and says so", () => {
  const results = fixture();
  const t = buildMainTable(results, { ...OPTIONS, seedChoice: "best", correction: "holm" });
  const cell = t.cells.get(cellKey(METHODS.blcs, "CLIR", "en-de"))!;
  const perSeed = results.filter((r) => r.method === METHODS.blcs && r.pair === "en-de")
    .map((r) => [...r.perQuery.values()].reduce((s, v) => s + v, 0) / QUERIES);
  assert.equal(cell.mean, Math.max(...perSeed));
  assert.equal(cell.seeds.length, 1);
  assert.equal(cell.sd, 0);
  assert.match(t.caption, /best of seeds 1, 2, 3 per cell \(the paper's released-script choice\)/);
  assert.match(t.caption, /Holm-corrected/);
  assert.doesNotMatch(mainTableMarkdown(t), / ± /);
});

Deno.test("reports are byte-stable and independent of input order", async () => {
  const a = fixture();
  const b = new Rng(3).shuffle(fixture());
  const render = async (r: CellResult[]) => {
    const t = buildMainTable(r, OPTIONS);
    const c = checkClaims(r, OPTIONS);
    return [
      mainTableMarkdown(t),
      mainTableCsv(t),
      claimsMarkdown(c, OPTIONS),
      claimsCsv(c),
      await heatmapSvg(t),
    ];
  };
  const first = await render(a);
  assert.deepEqual(await render(a), first);
  assert.deepEqual(await render(b), first);
  assert.doesNotMatch(first.join(""), /20\d\d-\d\d-\d\d/, "no dates or timestamps");
});

Deno.test("CSV has a fixed header and fixed decimals", () => {
  const csv = mainTableCsv(buildMainTable(fixture(), OPTIONS));
  const lines = csv.trimEnd().split("\n");
  assert.equal(
    lines[0],
    "method,setting,pair,measure,seeds,mean,sd,n,delta,ci_low,ci_high,p_ttest,p_corrected,significant,p_signflip",
  );
  assert.equal(lines.length, 1 + 4 * 9);
  const ml = lines.find((l) => l.startsWith("ML-CS,CLIR,en-de,"))!.split(",");
  assert.equal(ml[4], "1 2 3");
  assert.match(ml[5], /^\d+\.\d\d$/);
  assert.equal(ml[7], "60");
  assert.equal(ml[13], "yes");
  assert.match(lines.find((l) => l.startsWith("Zero-shot,CLIR,en-de,"))!, /,60,,,,,,,$/);
});

Deno.test("heatmap SVG is well-formed-ish, deterministic and labelled", async () => {
  const t = buildMainTable(fixture(), OPTIONS);
  const svg = await heatmapSvg(t);
  assert.ok(svg.startsWith("<svg") && svg.trimEnd().endsWith("</svg>"));
  const open = (svg.match(/<g[\s>]/g) ?? []).length;
  assert.equal(open, (svg.match(/<\/g>/g) ?? []).length, "balanced <g> elements");
  for (const m of [METHODS.blcs, METHODS.mlcs, "en-de", "ar-ru", "ΔMRR@10"]) {
    assert.ok(svg.includes(m), m);
  }
  assert.ok(!svg.includes(`>${METHODS.zeroShot}<`), "the baseline has no row");
  for (const id of svg.matchAll(/url\(#([^)]+)\)/g)) assert.ok(svg.includes(`id="${id[1]}"`));
  assert.equal(await heatmapSvg(t), svg);
});

Deno.test("claims: verdicts from data, missing methods are not measured", () => {
  const rows = checkClaims(fixture(), OPTIONS);
  const by = new Map(rows.map((r) => [r.id, r]));
  assert.equal(by.get("cs-beats-zs-clir")!.verdict, "supported");
  assert.match(by.get("cs-beats-zs-clir")!.effect!.detail, /^ML-CS − Zero-shot, CLIR en-de ar-ru$/);
  assert.equal(by.get("cs-beats-zs-mlir")!.verdict, "supported");
  assert.equal(by.get("cs-stable-moir")!.verdict, "supported");
  assert.equal(by.get("gains-unseen")!.effect!.detail, "ML-CS − Zero-shot, CLIR en-el");
  assert.equal(by.get("tt-behind-cs")!.verdict, "supported");
  assert.equal(by.get("ft-closer-moir")!.verdict, "not measured");
  assert.equal(by.get("ft-closer-moir")!.effect, undefined);
  for (const r of rows.filter((x) => x.effect)) assert.ok(r.pCorrected! >= r.effect!.p);
  const onlyZs = checkClaims(fixture().filter((r) => r.method === METHODS.zeroShot), OPTIONS);
  assert.ok(onlyZs.every((r) => r.verdict === "not measured"));
  const md = claimsMarkdown(rows, OPTIONS);
  assert.match(md, /\| .* \| \+5\.1 MRR@10 \| \+\d+\.\d\d \| .* \| supported \|/);
});

Deno.test("bad results are rejected", () => {
  const r = fixture();
  assert.throws(
    () => buildMainTable([...r, r[0]], OPTIONS),
    /duplicate result for Zero-shot MoIR en seed 1/,
  );
  const short = { ...r[1], perQuery: new Map([...r[1].perQuery].slice(1)) };
  assert.throws(
    () => buildMainTable([r[0], short, r[2]], OPTIONS),
    /lacks query|different query sets/,
  );
});

Deno.test("writeResultVersion writes every file and replaces an old version whole", async () => {
  const root = await Deno.makeTempDir({ prefix: "report_test_" });
  try {
    const dir = join(root, "xquad-r", "v1");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(join(dir, "stale.txt"), "old");
    await writeResultVersion(dir, fixture(), OPTIONS);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, [...RESULT_FILES].sort());
    assert.deepEqual([...Deno.readDirSync(join(root, "xquad-r"))].map((e) => e.name), ["v1"]);
    const t = buildMainTable(fixture(), OPTIONS);
    assert.equal(await Deno.readTextFile(join(dir, "main.csv")), mainTableCsv(t));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
