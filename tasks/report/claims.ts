/**
 * The paper's claims as data: each names the compared methods, the variant
 * declared in advance (the paper's own choice: BL-CS for pair-specific CLIR,
 * ML-CS for MLIR and unseen languages, TT (Zero-shot) for Translate Test), the
 * pairs, and the paper's figure. Nothing is chosen on the test data.
 *
 * Scopes follow the paper's tables: CLIR claims use the profile's seen CLIR
 * pairs, MoIR claims its seen languages, MLIR claims both MLIR sets.
 *
 * @module
 */

import type { Profile } from "../profile.ts";
import type { Missing, Term } from "./contrast.ts";
import { METHODS, type Setting } from "./methods.ts";

/** What a claim measures on a profile. *
 * @example
 * ```ts
 * import type { Measurement } from "./mod.ts";
 * const m: Measurement = {
 *   pairs: "en-de",
 *   terms: [
 *     { method: "BL-CS", setting: "CLIR", pairs: ["en-de"], weight: 1 },
 *     { method: "Zero-shot", setting: "CLIR", pairs: ["en-de"], weight: -1 },
 *   ],
 * };
 * ```
 */
export interface Measurement {
  /** The pairs, as printed in the claims table. */
  pairs: string;
  /** The contrast. */
  terms: Term[];
}

/** One claim (or sub-claim) of the paper. *
 * @example
 * ```ts
 * import { type Claim, CLAIMS } from "./mod.ts";
 * const tost: Claim[] = CLAIMS.filter((c) => c.test === "equivalence");
 * ```
 */
export interface Claim {
  /** Stable id: the claim number and sub-claim letter. */
  id: string;
  /** The claim in words. */
  text: string;
  /** Compared methods, e.g. `BL-CS − Zero-shot`. */
  compared: string;
  /** Setting(s) of the contrast. */
  setting: string;
  /** The variant declared in advance. */
  variant: string;
  /** The paper's figure as printed. */
  paper: string;
  /** The paper's effect on the measure's 0-1 scale; undefined: a direction only. */
  paperEffect?: number;
  /** Direction the paper claims: +1 (contrast above 0) or -1. */
  direction: 1 | -1;
  /** `difference` (two-sided test) or `equivalence` (TOST at the report's margin). */
  test: "difference" | "equivalence";
  /** Why the claim may not be measurable, added to the missing-data reason. */
  caveat?: string;
  /** The contrast on a profile, or why it cannot be formed. */
  measure(scope: ClaimScope): Measurement | Missing;
}

/** The parts of a profile the claims use. *
 * @example
 * ```ts
 * import { type ClaimScope, CLAIMS } from "./mod.ts";
 * declare const scope: ClaimScope;
 * CLAIMS[0].measure(scope);
 * ```
 */
export interface ClaimScope {
  /** The profile. */
  profile: Profile;
  /** Seen languages (MoIR scope). */
  seen: string[];
  /** Seen CLIR pairs (`query-doc`). */
  seenPairs: string[];
  /** CLIR pairs with an unseen language. */
  unseenPairs: string[];
  /** Whether a CLIR pair is typologically distant (see `Profile.distance`). */
  distant(pair: string): boolean;
}

/** The paper's seen CLIR pairs, in the order of `Profile.clirSeen` (whose entries stand in for them). */
export const PAPER_CLIR_PAIRS: readonly string[] = [
  "en-de",
  "en-it",
  "en-ar",
  "en-ru",
  "de-it",
  "de-nl",
  "de-ru",
  "ar-it",
  "ar-ru",
];

const MLIR = ["mlir-seen", "mlir-all"];
const ZS = METHODS.zeroShot;
const DIRECTION_ONLY = undefined;

/** Builds the scope of a profile; throws a RangeError for a language without a family. */
export function claimScope(profile: Profile): ClaimScope {
  const label = (p: { query: string; doc: string }) => `${p.query}-${p.doc}`;
  const family = (l: string) => {
    const f = profile.distance.family[l];
    if (f === undefined) throw new RangeError(`profile ${profile.name}: no family for "${l}"`);
    return f;
  };
  return {
    profile,
    seen: [...profile.seen],
    seenPairs: profile.clirSeen.map(label),
    unseenPairs: profile.clirUnseen.map(label),
    distant: (pair) => {
      const [q, d] = pair.split("-");
      return family(q) !== family(d);
    },
  };
}

function diff(system: string, baseline: string, setting: Setting, pairs: string[]): Term[] {
  return [
    { method: system, setting, pairs, weight: 1 },
    { method: baseline, setting, pairs, weight: -1 },
  ];
}

function scale(terms: Term[], w: number): Term[] {
  return terms.map((t) => ({ ...t, weight: t.weight * w }));
}

function simple(system: string, baseline: string, setting: Setting, pairs: string[]): Measurement {
  return { pairs: pairs.join(" "), terms: diff(system, baseline, setting, pairs) };
}

/** Seen CLIR pairs split by distance; missing when one side is empty. */
function split(s: ClaimScope): { far: string[]; near: string[] } | Missing {
  const far = s.seenPairs.filter((p) => s.distant(p));
  const near = s.seenPairs.filter((p) => !s.distant(p));
  if (!far.length || !near.length) {
    return { missing: "the profile's seen CLIR pairs are not split into distant and near ones" };
  }
  return { far, near };
}

function splitLabel(far: string[], near: string[]): string {
  return `distant: ${far.join(" ")}; near: ${near.join(" ")}`;
}

/** Zero-shot MoIR (mean of both languages' MoIR) minus CLIR, averaged over `pairs`. */
function drop(pairs: string[]): Term[] {
  const count = new Map<string, number>();
  for (const p of pairs) for (const l of p.split("-")) count.set(l, (count.get(l) ?? 0) + 1);
  return [
    ...[...count].map(([l, c]): Term => ({
      method: ZS,
      setting: "MoIR",
      pairs: [l],
      weight: c / (2 * pairs.length),
    })),
    { method: ZS, setting: "CLIR", pairs, weight: -1 },
  ];
}

/** The CLIR pair of the profile standing in for the paper's `paperPair`. */
function standIn(s: ClaimScope, paperPair: string): string | Missing {
  const i = PAPER_CLIR_PAIRS.indexOf(paperPair);
  return s.seenPairs.length === PAPER_CLIR_PAIRS.length
    ? s.seenPairs[i]
    : { missing: `the profile's seen CLIR pairs do not mirror the paper's ${paperPair}` };
}

function pairGain(s: ClaimScope, paperPair: string): Measurement | Missing {
  const p = standIn(s, paperPair);
  if (typeof p !== "string") return p;
  return {
    pairs: p === paperPair ? p : `${p} (for the paper's ${paperPair})`,
    terms: diff(METHODS.blcs, ZS, "CLIR", [p]),
  };
}

const PAIR_CLIR = "BL-CS (pair-specific CLIR)";
const MULTI = "ML-CS (one multilingual model)";
const TT = "TT (Zero-shot) (Translate Test)";
const FT_CAVEAT = "needs a model fine-tuned on machine-translated training data: " +
  "xquad-r has none (SQuAD is English only) and the pipeline trains none";

/** The paper's measurable claims, numbered as in issue 11. *
 * @example
 * ```ts
 * import { buildReport, type CellResult, CLAIMS } from "./mod.ts";
 * import { parseMeasure } from "../metrics.ts";
 * import { XQUAD_R } from "../profile.ts";
 * declare const results: CellResult[];
 * // Only the CLIR claims, as their own family.
 * buildReport(results, { profile: XQUAD_R, measure: parseMeasure("RR@10") }, CLAIMS.filter((c) => c.setting === "CLIR"));
 * ```
 */
export const CLAIMS: readonly Claim[] = [
  {
    id: "1",
    text: "Code-switching beats Zero-shot in CLIR",
    compared: "BL-CS − Zero-shot",
    setting: "CLIR",
    variant: PAIR_CLIR,
    paper: "+5.1",
    paperEffect: 0.051,
    direction: 1,
    test: "difference",
    measure: (s) => simple(METHODS.blcs, ZS, "CLIR", s.seenPairs),
  },
  {
    id: "2",
    text: "Code-switching beats Zero-shot in MLIR",
    compared: "ML-CS − Zero-shot",
    setting: "MLIR",
    variant: MULTI,
    paper: "+3.9",
    paperEffect: 0.039,
    direction: 1,
    test: "difference",
    measure: () => simple(METHODS.mlcs, ZS, "MLIR", MLIR),
  },
  {
    id: "3a",
    text: "Code-switching does not impede MoIR: BL-CS equivalent to Zero-shot",
    compared: "BL-CS − Zero-shot",
    setting: "MoIR",
    variant: "BL-CS",
    paper: "stable",
    direction: 1,
    test: "equivalence",
    caveat: "BL-CS models are trained per CLIR pair and evaluated on that pair only",
    measure: (s) => simple(METHODS.blcs, ZS, "MoIR", s.seen),
  },
  {
    id: "3b",
    text: "Code-switching does not impede MoIR: ML-CS equivalent to Zero-shot",
    compared: "ML-CS − Zero-shot",
    setting: "MoIR",
    variant: "ML-CS",
    paper: "stable",
    direction: 1,
    test: "equivalence",
    measure: (s) => simple(METHODS.mlcs, ZS, "MoIR", s.seen),
  },
  {
    id: "4a",
    text: "Zero-shot MoIR is far above CLIR",
    compared: "Zero-shot MoIR − Zero-shot CLIR",
    setting: "MoIR − CLIR",
    variant: "Zero-shot",
    paper: "+15.7",
    paperEffect: 0.157,
    direction: 1,
    test: "difference",
    measure: (s) => ({
      pairs: `MoIR ${s.seen.join(" ")}; CLIR ${s.seenPairs.join(" ")}`,
      terms: [
        { method: ZS, setting: "MoIR", pairs: s.seen, weight: 1 },
        { method: ZS, setting: "CLIR", pairs: s.seenPairs, weight: -1 },
      ],
    }),
  },
  {
    id: "4b",
    text: "Zero-shot MoIR is far above MLIR",
    compared: "Zero-shot MoIR − Zero-shot MLIR",
    setting: "MoIR − MLIR",
    variant: "Zero-shot",
    paper: "+16.6",
    paperEffect: 0.166,
    direction: 1,
    test: "difference",
    measure: (s) => ({
      pairs: `MoIR ${s.seen.join(" ")}; MLIR ${MLIR.join(" ")}`,
      terms: [
        { method: ZS, setting: "MoIR", pairs: s.seen, weight: 1 },
        { method: ZS, setting: "MLIR", pairs: MLIR, weight: -1 },
      ],
    }),
  },
  {
    id: "5",
    text: "The Zero-shot drop from MoIR to CLIR is larger for distant pairs",
    compared: "(MoIR − CLIR) distant − (MoIR − CLIR) near, Zero-shot",
    setting: "MoIR, CLIR",
    variant: "Zero-shot",
    paper: "larger for distant",
    paperEffect: DIRECTION_ONLY,
    direction: 1,
    test: "difference",
    measure: (s) => {
      const sp = split(s);
      if ("missing" in sp) return sp;
      return {
        pairs: splitLabel(sp.far, sp.near),
        terms: [...drop(sp.far), ...scale(drop(sp.near), -1)],
      };
    },
  },
  {
    id: "6a",
    text: "CS gain on AR-IT",
    compared: "BL-CS − Zero-shot",
    setting: "CLIR",
    variant: PAIR_CLIR,
    paper: "7.7 → 15.6 (+7.9)",
    paperEffect: 0.079,
    direction: 1,
    test: "difference",
    measure: (s) => pairGain(s, "ar-it"),
  },
  {
    id: "6b",
    text: "CS gain on AR-RU",
    compared: "BL-CS − Zero-shot",
    setting: "CLIR",
    variant: PAIR_CLIR,
    paper: "7.1 → 14.1 (+7.0)",
    paperEffect: 0.07,
    direction: 1,
    test: "difference",
    measure: (s) => pairGain(s, "ar-ru"),
  },
  {
    id: "6c",
    text: "CS gains are larger for distant pairs",
    compared: "(BL-CS − Zero-shot) distant − (BL-CS − Zero-shot) near",
    setting: "CLIR",
    variant: PAIR_CLIR,
    paper: "larger for distant",
    paperEffect: DIRECTION_ONLY,
    direction: 1,
    test: "difference",
    measure: (s) => {
      const sp = split(s);
      if ("missing" in sp) return sp;
      return {
        pairs: splitLabel(sp.far, sp.near),
        terms: [
          ...diff(METHODS.blcs, ZS, "CLIR", sp.far),
          ...scale(diff(METHODS.blcs, ZS, "CLIR", sp.near), -1),
        ],
      };
    },
  },
  {
    id: "7a",
    text: "CS gain in MLIR over the seen languages",
    compared: "ML-CS − Zero-shot",
    setting: "MLIR",
    variant: MULTI,
    paper: "+4.1",
    paperEffect: 0.041,
    direction: 1,
    test: "difference",
    measure: () => simple(METHODS.mlcs, ZS, "MLIR", ["mlir-seen"]),
  },
  {
    id: "7b",
    text: "CS gain in MLIR over all languages",
    compared: "ML-CS − Zero-shot",
    setting: "MLIR",
    variant: MULTI,
    paper: "+3.8",
    paperEffect: 0.038,
    direction: 1,
    test: "difference",
    measure: () => simple(METHODS.mlcs, ZS, "MLIR", ["mlir-all"]),
  },
  {
    id: "7c",
    text: "CS gains are virtually unchanged from the seen languages to all languages",
    compared: "(ML-CS − Zero-shot) all − (ML-CS − Zero-shot) seen",
    setting: "MLIR",
    variant: MULTI,
    paper: "+4.1 vs +3.8 (−0.3)",
    direction: 1,
    test: "equivalence",
    measure: () => ({
      pairs: "mlir-all − mlir-seen",
      terms: [
        ...diff(METHODS.mlcs, ZS, "MLIR", ["mlir-all"]),
        ...scale(diff(METHODS.mlcs, ZS, "MLIR", ["mlir-seen"]), -1),
      ],
    }),
  },
  {
    id: "7d",
    text: "CS gains hold for unseen languages (CLIR pairs with an unseen language)",
    compared: "ML-CS − Zero-shot",
    setting: "CLIR",
    variant: MULTI,
    paper: "gains on unseen",
    paperEffect: DIRECTION_ONLY,
    direction: 1,
    test: "difference",
    measure: (s) =>
      s.unseenPairs.length
        ? simple(METHODS.mlcs, ZS, "CLIR", s.unseenPairs)
        : { missing: "the profile has no CLIR pairs with an unseen language" },
  },
  {
    id: "8a",
    text: "One multilingual model is on par with pair-specific BL-CS in CLIR: ML-CS",
    compared: "ML-CS − BL-CS",
    setting: "CLIR",
    variant: "ML-CS vs BL-CS",
    paper: "on par",
    direction: 1,
    test: "equivalence",
    measure: (s) => simple(METHODS.mlcs, METHODS.blcs, "CLIR", s.seenPairs),
  },
  {
    id: "8b",
    text: "One multilingual model is on par with pair-specific BL-CS in CLIR: Wiki-CS",
    compared: "Wiki-CS − BL-CS",
    setting: "CLIR",
    variant: "Wiki-CS vs BL-CS",
    paper: "on par",
    direction: 1,
    test: "equivalence",
    measure: (s) => simple(METHODS.wikics, METHODS.blcs, "CLIR", s.seenPairs),
  },
  {
    id: "9a",
    text: "Translate Test gives slight gains in CLIR",
    compared: "TT (Zero-shot) − Zero-shot",
    setting: "CLIR",
    variant: TT,
    paper: "+0.2",
    paperEffect: 0.002,
    direction: 1,
    test: "difference",
    measure: (s) => simple(METHODS.ttZeroShot, ZS, "CLIR", s.seenPairs),
  },
  {
    id: "9b",
    text: "Translate Test gives slight gains in MLIR",
    compared: "TT (Zero-shot) − Zero-shot",
    setting: "MLIR",
    variant: TT,
    paper: "+2.2",
    paperEffect: 0.022,
    direction: 1,
    test: "difference",
    measure: () => simple(METHODS.ttZeroShot, ZS, "MLIR", MLIR),
  },
  {
    id: "10a",
    text: "Translate Test underperforms in MoIR: TT (Zero-shot) below Zero-shot",
    compared: "TT (Zero-shot) − Zero-shot",
    setting: "MoIR",
    variant: TT,
    paper: "below",
    paperEffect: DIRECTION_ONLY,
    direction: -1,
    test: "difference",
    measure: (s) => simple(METHODS.ttZeroShot, ZS, "MoIR", s.seen),
  },
  {
    id: "10b",
    text: "Translate Test underperforms in MoIR: TT (ML-CS) below ML-CS",
    compared: "TT (ML-CS) − ML-CS",
    setting: "MoIR",
    variant: "TT (ML-CS) vs ML-CS",
    paper: "below",
    paperEffect: DIRECTION_ONLY,
    direction: -1,
    test: "difference",
    measure: (s) => simple(METHODS.ttMlcs, METHODS.mlcs, "MoIR", s.seen),
  },
  {
    id: "11a",
    text: "Translate Test falls behind code-switching in MoIR",
    compared: "ML-CS − TT (Zero-shot)",
    setting: "MoIR",
    variant: `${MULTI}; ${TT}`,
    paper: "CS > TT",
    paperEffect: DIRECTION_ONLY,
    direction: 1,
    test: "difference",
    measure: (s) => simple(METHODS.mlcs, METHODS.ttZeroShot, "MoIR", s.seen),
  },
  {
    id: "11b",
    text: "Translate Test falls behind code-switching in CLIR",
    compared: "BL-CS − TT (Zero-shot)",
    setting: "CLIR",
    variant: `${PAIR_CLIR}; ${TT}`,
    paper: "CS > TT",
    paperEffect: DIRECTION_ONLY,
    direction: 1,
    test: "difference",
    measure: (s) => simple(METHODS.blcs, METHODS.ttZeroShot, "CLIR", s.seenPairs),
  },
  {
    id: "12a",
    text: "Fine-tuning on translated data is ahead of code-switching in MoIR",
    compared: "Fine-tuning − ML-CS",
    setting: "MoIR",
    variant: MULTI,
    paper: "+4",
    paperEffect: 0.04,
    direction: 1,
    test: "difference",
    caveat: FT_CAVEAT,
    measure: (s) => simple(METHODS.fineTuning, METHODS.mlcs, "MoIR", s.seen),
  },
  {
    id: "12b",
    text: "Fine-tuning on translated data is ahead of code-switching in CLIR",
    compared: "Fine-tuning − BL-CS",
    setting: "CLIR",
    variant: PAIR_CLIR,
    paper: "+11.1",
    paperEffect: 0.111,
    direction: 1,
    test: "difference",
    caveat: FT_CAVEAT,
    measure: (s) => simple(METHODS.fineTuning, METHODS.blcs, "CLIR", s.seenPairs),
  },
  {
    id: "12c",
    text: "The gap to fine-tuning is smaller in MoIR than in CLIR",
    compared: "(Fine-tuning − BL-CS) CLIR − (Fine-tuning − ML-CS) MoIR",
    setting: "CLIR, MoIR",
    variant: `${PAIR_CLIR}; ${MULTI}`,
    paper: "+11.1 vs +4 (+7.1)",
    paperEffect: 0.071,
    direction: 1,
    test: "difference",
    caveat: FT_CAVEAT,
    measure: (s) => ({
      pairs: `CLIR ${s.seenPairs.join(" ")}; MoIR ${s.seen.join(" ")}`,
      terms: [
        ...diff(METHODS.fineTuning, METHODS.blcs, "CLIR", s.seenPairs),
        ...scale(diff(METHODS.fineTuning, METHODS.mlcs, "MoIR", s.seen), -1),
      ],
    }),
  },
];
