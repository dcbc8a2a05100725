import assert from "node:assert/strict";

/** Every folder's public surface. */
const SURFACES = [
  "datasets/mod.ts",
  "lexicons/mod.ts",
  ...["bm25", "codeswitch", "diff", "evaluate", "executor", "pipeline", "profile_lexicons"]
    .map((f) => `tasks/${f}/mod.ts`),
  ...["profiles", "ranker", "report", "score", "stats", "trainset", "util"].map((f) =>
    `tasks/${f}/mod.ts`
  ),
];

interface DocNode {
  name: string;
  declarations: {
    location: { filename: string };
    kind?: string;
    jsDoc?: { doc?: string; tags?: { kind: string }[] };
  }[];
}

Deno.test("every export of every mod.ts has JSDoc with an @example at its declaration", async () => {
  const root = new URL("../", import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...SURFACES],
    cwd: root,
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const doc = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    nodes: Record<string, { symbols: DocNode[] }>;
  };
  const missing: string[] = [];
  let checked = 0;
  for (const [surface, { symbols }] of Object.entries(doc.nodes)) {
    for (const s of symbols) {
      const decls = s.declarations.filter((d) => d.kind !== "reference");
      if (decls.length === 0) continue; // re-exported from another surface, checked there
      const file = decls[0].location.filename.slice(root.href.length);
      checked++;
      const ok = decls.some((d) => d.jsDoc?.doc && d.jsDoc.tags?.some((t) => t.kind === "example"));
      if (!ok) missing.push(`${surface.slice(root.href.length)}: ${s.name} (${file})`);
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(checked > 200, `only ${checked} exports read`);
});
