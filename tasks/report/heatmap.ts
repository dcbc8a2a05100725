/**
 * SVG heatmap of Δ (system − baseline, × 100) with one panel per setting,
 * rendered headless (vega-lite → vega View → SVG). The colour scale is clipped
 * to ±HEATMAP_CLIP points so that Translate Test's large deltas do
 * not wash out the code-switching ones; cell labels print the unclipped value.
 *
 * @module
 */

import * as vega from "vega";
import * as vl from "vega-lite";
import { points } from "./format.ts";
import type { Report } from "./report.ts";

/** Colour range of the heatmap, ± points × 100. */
const HEATMAP_CLIP = 5;

interface Datum {
  pair: string;
  method: string;
  clipped: number;
  label: string;
}

/** Renders the Δ heatmap; element ids are renumbered so bytes do not depend on earlier renders. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, heatmapSvg } from "./mod.ts";
 * import { parseMeasure } from "../evaluate/mod.ts";
 * import { XQUAD_R } from "../profiles/mod.ts";
 * declare const results: CellResult[];
 * await Deno.writeTextFile("delta_heatmap.svg", await heatmapSvg(buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") })));
 * ```
 */
export async function heatmapSvg(r: Report): Promise<string> {
  const panels = r.tables.map((t) => {
    const values: Datum[] = [];
    for (const row of t.rows) {
      row.cells.forEach((c, i) => {
        if (!c?.test) return;
        const d = Number(points(c.test.delta, 1));
        values.push({
          pair: t.columns[i],
          method: row.method,
          clipped: Math.max(-HEATMAP_CLIP, Math.min(HEATMAP_CLIP, d)),
          label: `${d > 0 ? "+" : ""}${d.toFixed(1)}${c.test.significant ? "†" : ""}`,
        });
      });
    }
    return { setting: t.setting, columns: t.columns, methods: t.rows.map((x) => x.method), values };
  }).filter((p) => p.values.length > 0);
  const spec: vl.TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Δ${r.measure} × 100 vs ${r.baseline}`,
      subtitle: `colour clipped to ±${HEATMAP_CLIP}; labels unclipped; † = significant ` +
        `(seed-aware test, corrected within each setting)`,
      offset: 16,
    },
    config: { font: "sans-serif", axis: { labelFontSize: 10 }, view: { stroke: null } },
    resolve: { scale: { color: "shared" } },
    spacing: 28,
    vconcat: panels.map((p) => ({
      title: { text: p.setting, anchor: "start" },
      data: { values: p.values },
      width: { step: 56 },
      height: { step: 22 },
      encoding: {
        x: {
          field: "pair",
          type: "nominal",
          sort: p.columns.filter((c) => p.values.some((v) => v.pair === c)),
          title: null,
          axis: { labelAngle: 0, orient: "top" },
        },
        y: {
          field: "method",
          type: "nominal",
          sort: p.methods.filter((m) => p.values.some((v) => v.method === m)),
          title: null,
        },
      },
      layer: [
        {
          mark: "rect",
          encoding: {
            color: {
              field: "clipped",
              type: "quantitative",
              scale: { scheme: "redblue", domain: [-HEATMAP_CLIP, HEATMAP_CLIP] },
              title: "Δ",
            },
          },
        },
        {
          mark: { type: "text", fontSize: 9 },
          encoding: {
            text: { field: "label" },
            color: {
              condition: { test: `abs(datum.clipped) > ${HEATMAP_CLIP * 0.7}`, value: "white" },
              value: "black",
            },
          },
        },
      ],
    })),
  } as vl.TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    return renumberIds(await view.toSVG()) + "\n";
  } finally {
    view.finalize();
  }
}

/** Vega numbers gradients and clips with process-wide counters; renumber per document. */
function renumberIds(svg: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/id="([^"]+)"/g)) {
    if (!ids.has(m[1])) ids.set(m[1], `id${ids.size}`);
  }
  return svg.replace(/(id="|url\(#|href="#)([^")]+)/g, (s, p: string, id: string) => {
    const n = ids.get(id);
    return n === undefined ? s : p + n;
  });
}
