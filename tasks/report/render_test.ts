import assert from "node:assert/strict";
import { Rng } from "../util/mod.ts";
import { MAIN_CSV_COLUMNS } from "./render_csv.ts";
import { buildReport } from "./report.ts";
import { renderReport } from "./writer.ts";
import { METHODS } from "./methods.ts";
import { OPTIONS, smallFixture } from "./test_fixture.ts";

Deno.test("renderings are byte-stable and independent of input order", async () => {
  const first = await renderReport(buildReport(smallFixture(), OPTIONS));
  assert.deepEqual(await renderReport(buildReport(smallFixture(), OPTIONS)), first);
  const shuffled = new Rng(3).shuffle(smallFixture());
  assert.deepEqual(await renderReport(buildReport(shuffled, OPTIONS)), first);
  assert.doesNotMatch(Object.values(first).join(""), /20\d\d-\d\d-\d\d/, "no dates");
});

Deno.test("main CSV: fixed header, per-seed means, family and both query-level tests", async () => {
  const { "main.csv": csv } = await renderReport(buildReport(smallFixture(), OPTIONS));
  const lines = csv.trimEnd().split("\n");
  assert.equal(lines[0], MAIN_CSV_COLUMNS.join(","));
  const ml = lines.find((l) => l.startsWith("ML-CS,CLIR,en-de,"))!.split(",");
  const col = (name: string) => ml[MAIN_CSV_COLUMNS.indexOf(name as never)];
  assert.equal(col("measure"), "MRR@10");
  assert.equal(col("seeds"), "1 2 3");
  assert.match(col("seed_means"), /^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/);
  assert.equal(col("family"), "CLIR table");
  assert.equal(col("significant"), "yes");
  assert.match(col("p_ttest"), /e-|^0\.0/);
  assert.match(col("p_signflip"), /^0\.00/);
});

Deno.test("JSON is the report value; LaTeX uses booktabs and escapes", async () => {
  const report = buildReport(smallFixture(), OPTIONS);
  const files = await renderReport(report);
  const json = JSON.parse(files["report.json"]);
  assert.equal(json.tables[1].setting, "CLIR");
  assert.equal(json.claims.rows.length, report.claims.rows.length);
  assert.equal(json.tables[1].rows[2].cells[0].test.significant, true);
  const tex = files["main.tex"];
  assert.equal(tex.match(/\\toprule/g)!.length, 3);
  assert.match(tex, /\\begin\{tabular\}\{lrrrr\}/);
  assert.match(tex, /TT \(Zero-shot\) & /);
  assert.match(tex, /\$\^\\dagger\$/);
  assert.doesNotMatch(tex.replace(/\\[&%_#]/g, ""), /[%#_]/, "special characters escaped");
  assert.match(tex, /p \$<\$ 0\.05/, "< is math, not ¡");
  assert.match(files["claims.tex"], /\\# & Claim & Compared/);
});

Deno.test("heatmap: one panel per setting, clipped colours, unclipped labels", async () => {
  const { "delta_heatmap.svg": svg } = await renderReport(buildReport(smallFixture(), OPTIONS));
  assert.ok(svg.startsWith("<svg") && svg.trimEnd().endsWith("</svg>"));
  for (const s of ["MoIR", "CLIR", "MLIR", "colour clipped to ±5"]) assert.ok(svg.includes(s), s);
  assert.match(svg, />\+(19|20)\.\d†</, "ML-CS's +20 is labelled, not clipped");
  assert.ok(!svg.includes(`>${METHODS.zeroShot}<`), "the baseline has no row");
  for (const id of svg.matchAll(/url\(#([^)]+)\)/g)) assert.ok(svg.includes(`id="${id[1]}"`));
});
