import assert from "node:assert/strict";
import { join } from "node:path";
import { diffCsv, diffVersions, formatDiff } from "./diff.ts";
import { InputError } from "../util/mod.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";

const HEADER = "method,setting,pair,measure,mean,p_ttest,significant\n";

async function version(root: string, name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  for (const [f, text] of Object.entries(files)) {
    await Deno.mkdir(join(dir, f, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, f), text);
  }
  return dir;
}

Deno.test("diffVersions lists changed cells, rows and files", () =>
  withTempDir(async (root) => {
    const a = await version(root, "v1", {
      "main.csv": HEADER + "ML-CS,CLIR,en-de,MRR@10,23.41,0.001,yes\n" +
        "BL-CS,CLIR,en-de,MRR@10,20.00,0.2,no\nZero-shot,CLIR,en-de,MRR@10,18.00,,\n",
      "main.md": "# v1\n",
      "old.svg": "<svg/>",
    });
    const b = await version(root, "v2", {
      // Rows reordered, one value changed, one row gone, one new row.
      "main.csv": HEADER + "Zero-shot,CLIR,en-de,MRR@10,18.00,,\n" +
        "ML-CS,CLIR,en-de,MRR@10,24.02,0.0004,yes\nWiki-CS,CLIR,en-de,MRR@10,19.5,0.3,no\n",
      "main.md": "# v2\n",
      "new.svg": "<svg/>",
    });
    const d = await diffVersions(a, b);
    assert.equal(d.differ, true);
    assert.deepEqual(d.files, [
      { file: "main.md", status: "changed" },
      { file: "new.svg", status: "added" },
      { file: "old.svg", status: "removed" },
    ]);
    const ml = d.cells.filter((c) => c.key === "ML-CS / CLIR / en-de / MRR@10");
    assert.deepEqual(ml, [
      {
        file: "main.csv",
        key: "ML-CS / CLIR / en-de / MRR@10",
        column: "mean",
        old: "23.41",
        new: "24.02",
        delta: 0.61,
      },
      {
        file: "main.csv",
        key: "ML-CS / CLIR / en-de / MRR@10",
        column: "p_ttest",
        old: "0.001",
        new: "0.0004",
        delta: -0.0006,
      },
    ]);
    assert.ok(
      d.cells.some((c) => c.key.startsWith("BL-CS") && c.column === "mean" && c.new === ""),
    );
    assert.ok(
      d.cells.some((c) =>
        c.key.startsWith("Wiki-CS") && c.column === "significant" && c.new === "no"
      ),
    );
    assert.ok(!d.cells.some((c) => c.key.startsWith("Zero-shot")));
    const text = formatDiff(d);
    assert.match(
      text,
      /main\.csv \[ML-CS \/ CLIR \/ en-de \/ MRR@10\] mean: 23\.41 -> 24\.02 \(\+0\.61\)/,
    );
    assert.match(text, /^changed {2}main\.md$/m);
    const same = await diffVersions(a, a);
    assert.equal(same.differ, false);
    assert.equal(formatDiff(same), "no differences\n");
    await assert.rejects(() => diffVersions(a, join(root, "missing")), InputError);
  }, { prefix: "diff_test_" }));

Deno.test("diffCsv uses row numbers without key columns and rejects bad CSV", () => {
  assert.deepEqual(diffCsv("x.csv", "a,b\n1,2\n", "a,b\n1,3\n"), [
    { file: "x.csv", key: "row 1", column: "b", old: "2", new: "3", delta: 1 },
  ]);
  assert.deepEqual(diffCsv("x.csv", "a\n1\n", "a,c\n1,z\n"), [
    { file: "x.csv", key: "row 1", column: "c", old: "", new: "z" },
  ]);
  assert.throws(() => diffCsv("x.csv", "a,b\n1\n", "a,b\n1,2\n"), InputError);
  assert.throws(() => diffCsv("x.csv", "id,v\nk,1\nk,2\n", "id,v\n"), /duplicate row key "k"/);
});

Deno.test("diff says first when the two versions differ in configuration", () =>
  withTempDir(async (root) => {
    const manifest = (seeds: number[], extra = {}) =>
      JSON.stringify({ profile: "xquad-r", seeds, p: 0.5, seedChoice: "mean", ...extra }) + "\n";
    const a = await version(root, "v1", { "manifest.json": manifest([1, 2, 3]), "main.md": "a\n" });
    const b = await version(root, "v1+seeds1", {
      "manifest.json": manifest([1], { configTag: "seeds1" }),
      "main.md": "b\n",
    });
    const d = await diffVersions(a, b);
    assert.deepEqual(d.config, [
      { field: "seeds", old: "[1,2,3]", new: "[1]" },
      { field: "configTag", old: "", new: '"seeds1"' },
    ]);
    const text = formatDiff(d).split("\n");
    assert.equal(text[0], "the two versions differ in configuration:");
    assert.equal(text[1], "  seeds: [1,2,3] -> [1]");
    assert.equal(text[2], '  configTag: ∅ -> "seeds1"');
    // Same configuration: no configuration lines.
    const c = await version(root, "v2", { "manifest.json": manifest([1, 2, 3]), "main.md": "c\n" });
    assert.deepEqual((await diffVersions(a, c)).config, []);
  }));
