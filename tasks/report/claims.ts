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

import type { Profile } from "../profiles/mod.ts";
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
const PAPER_CLIR_PAIRS: readonly string[] = [
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

/** What a claim states, apart from how it is measured. */
type Statement =
  & Pick<Claim, "id" | "text" | "variant" | "paper" | "paperEffect" | "caveat">
  & Partial<Pick<Claim, "direction" | "test">>;

/** A claim "system − baseline", each averaged per query over `pairs(scope)` of one setting. */
function versus(
  system: string,
  baseline: string,
  setting: Setting,
  pairs: (s: ClaimScope) => string[],
  c: Statement,
): Claim {
  return {
    direction: 1,
    test: "difference",
    ...c,
    compared: `${system} − ${baseline}`,
    setting,
    measure: (s) => ({
      pairs: pairs(s).join(" "),
      terms: diff(system, baseline, setting, pairs(s)),
    }),
  };
}

/** A claim measured by its own contrast (direction +1 and a difference test unless stated). */
function custom(
  compared: string,
  setting: string,
  measure: Claim["measure"],
  c: Statement,
): Claim {
  return { direction: 1, test: "difference", ...c, compared, setting, measure };
}

const SEEN = (s: ClaimScope) => s.seen;
const SEEN_PAIRS = (s: ClaimScope) => s.seenPairs;
/** MoIR languages with a BL-CS model: X of every seen EN-X pair (that model serves MoIR in X). */
const BL_MOIR = (s: ClaimScope) =>
  s.seenPairs.filter((p) => p.startsWith("en-")).map((p) => p.slice("en-".length));
const UNSEEN_PAIRS = (s: ClaimScope) => s.unseenPairs;
const BOTH_MLIR = () => MLIR;

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

/** A claim measured as terms(distant seen pairs) − terms(near ones). */
function distantMinusNear(terms: (pairs: string[]) => Term[]): Claim["measure"] {
  return (s) => {
    const sp = split(s);
    if ("missing" in sp) return sp;
    return {
      pairs: splitLabel(sp.far, sp.near),
      terms: [...terms(sp.far), ...scale(terms(sp.near), -1)],
    };
  };
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
  "xquad-r has none (SQuAD is English only); the mmarco profile trains it (Fine-tuning)";

/** Claim 10: a Translate Test method scores below the model it translates for, in MoIR. */
function ttBelow(tt: string, model: string, id: string, variant: string): Claim {
  return versus(tt, model, "MoIR", SEEN, {
    id,
    text: `Translate Test underperforms in MoIR: ${tt} below ${model}`,
    variant,
    paper: "below",
    paperEffect: DIRECTION_ONLY,
    direction: -1,
  });
}

/** Claim 11: a code-switching model beats TT (Zero-shot) in a setting. */
function ttBehindCs(
  cs: string,
  setting: Setting,
  pairs: (s: ClaimScope) => string[],
  id: string,
  variant: string,
): Claim {
  return versus(cs, METHODS.ttZeroShot, setting, pairs, {
    id,
    text: `Translate Test falls behind code-switching in ${setting}`,
    variant: `${variant}; ${TT}`,
    paper: "CS > TT",
    paperEffect: DIRECTION_ONLY,
  });
}

/**
 * The paper's measurable claims, numbered as in issue 11.
 *
 * @example
 * ```ts
 * CLAIMS.map((c) => c.id); // ["1", "2", "3a", ...]
 * ```
 */
export const CLAIMS: readonly Claim[] = [
  versus(METHODS.blcs, ZS, "CLIR", SEEN_PAIRS, {
    id: "1",
    text: "Code-switching beats Zero-shot in CLIR",
    variant: PAIR_CLIR,
    paper: "+5.1",
    paperEffect: 0.051,
  }),
  versus(METHODS.mlcs, ZS, "MLIR", BOTH_MLIR, {
    id: "2",
    text: "Code-switching beats Zero-shot in MLIR",
    variant: MULTI,
    paper: "+3.9",
    paperEffect: 0.039,
  }),
  versus(METHODS.blcs, ZS, "MoIR", BL_MOIR, {
    id: "3a",
    text: "Code-switching does not impede MoIR: BL-CS equivalent to Zero-shot",
    variant: "BL-CS (the EN-X model in language X)",
    paper: "stable",
    test: "equivalence",
    caveat: "MoIR in X uses the BL-CS model of the pair EN-X; English has none",
  }),
  versus(METHODS.mlcs, ZS, "MoIR", SEEN, {
    id: "3b",
    text: "Code-switching does not impede MoIR: ML-CS equivalent to Zero-shot",
    variant: "ML-CS",
    paper: "stable",
    test: "equivalence",
  }),
  custom("Zero-shot MoIR − Zero-shot CLIR", "MoIR − CLIR", (s) => ({
    pairs: `MoIR ${s.seen.join(" ")}; CLIR ${s.seenPairs.join(" ")}`,
    terms: [
      { method: ZS, setting: "MoIR", pairs: s.seen, weight: 1 },
      { method: ZS, setting: "CLIR", pairs: s.seenPairs, weight: -1 },
    ],
  }), {
    id: "4a",
    text: "Zero-shot MoIR is far above CLIR",
    variant: "Zero-shot",
    paper: "+15.7",
    paperEffect: 0.157,
  }),
  custom("Zero-shot MoIR − Zero-shot MLIR", "MoIR − MLIR", (s) => ({
    pairs: `MoIR ${s.seen.join(" ")}; MLIR ${MLIR.join(" ")}`,
    terms: [
      { method: ZS, setting: "MoIR", pairs: s.seen, weight: 1 },
      { method: ZS, setting: "MLIR", pairs: MLIR, weight: -1 },
    ],
  }), {
    id: "4b",
    text: "Zero-shot MoIR is far above MLIR",
    variant: "Zero-shot",
    paper: "+16.6",
    paperEffect: 0.166,
  }),
  custom(
    "(MoIR − CLIR) distant − (MoIR − CLIR) near, Zero-shot",
    "MoIR, CLIR",
    distantMinusNear(drop),
    {
      id: "5",
      text: "The Zero-shot drop from MoIR to CLIR is larger for distant pairs",
      variant: "Zero-shot",
      paper: "larger for distant",
      paperEffect: DIRECTION_ONLY,
    },
  ),
  custom("BL-CS − Zero-shot", "CLIR", (s) => pairGain(s, "ar-it"), {
    id: "6a",
    text: "CS gain on AR-IT",
    variant: PAIR_CLIR,
    paper: "7.7 → 15.6 (+7.9)",
    paperEffect: 0.079,
  }),
  custom("BL-CS − Zero-shot", "CLIR", (s) => pairGain(s, "ar-ru"), {
    id: "6b",
    text: "CS gain on AR-RU",
    variant: PAIR_CLIR,
    paper: "7.1 → 14.1 (+7.0)",
    paperEffect: 0.07,
  }),
  custom(
    "(BL-CS − Zero-shot) distant − (BL-CS − Zero-shot) near",
    "CLIR",
    distantMinusNear((pairs) => diff(METHODS.blcs, ZS, "CLIR", pairs)),
    {
      id: "6c",
      text: "CS gains are larger for distant pairs",
      variant: PAIR_CLIR,
      paper: "larger for distant",
      paperEffect: DIRECTION_ONLY,
    },
  ),
  versus(METHODS.mlcs, ZS, "MLIR", () => ["mlir-seen"], {
    id: "7a",
    text: "CS gain in MLIR over the seen languages",
    variant: MULTI,
    paper: "+4.1",
    paperEffect: 0.041,
  }),
  versus(METHODS.mlcs, ZS, "MLIR", () => ["mlir-all"], {
    id: "7b",
    text: "CS gain in MLIR over all languages",
    variant: MULTI,
    paper: "+3.8",
    paperEffect: 0.038,
  }),
  custom("(ML-CS − Zero-shot) all − (ML-CS − Zero-shot) seen", "MLIR", () => ({
    pairs: "mlir-all − mlir-seen",
    terms: [
      ...diff(METHODS.mlcs, ZS, "MLIR", ["mlir-all"]),
      ...scale(diff(METHODS.mlcs, ZS, "MLIR", ["mlir-seen"]), -1),
    ],
  }), {
    id: "7c",
    text: "CS gains are virtually unchanged from the seen languages to all languages",
    variant: MULTI,
    paper: "+4.1 vs +3.8 (−0.3)",
    test: "equivalence",
  }),
  versus(METHODS.mlcs, ZS, "CLIR", UNSEEN_PAIRS, {
    id: "7d",
    text: "CS gains hold for unseen languages (CLIR pairs with an unseen language)",
    variant: MULTI,
    paper: "gains on unseen",
    paperEffect: DIRECTION_ONLY,
  }),
  versus(METHODS.mlcs, METHODS.blcs, "CLIR", SEEN_PAIRS, {
    id: "8a",
    text: "One multilingual model is on par with pair-specific BL-CS in CLIR: ML-CS",
    variant: "ML-CS vs BL-CS",
    paper: "on par",
    test: "equivalence",
  }),
  versus(METHODS.wikics, METHODS.blcs, "CLIR", SEEN_PAIRS, {
    id: "8b",
    text: "One multilingual model is on par with pair-specific BL-CS in CLIR: Wiki-CS",
    variant: "Wiki-CS vs BL-CS",
    paper: "on par",
    test: "equivalence",
  }),
  versus(METHODS.ttZeroShot, ZS, "CLIR", SEEN_PAIRS, {
    id: "9a",
    text: "Translate Test gives slight gains in CLIR",
    variant: TT,
    paper: "+0.2",
    paperEffect: 0.002,
  }),
  versus(METHODS.ttZeroShot, ZS, "MLIR", BOTH_MLIR, {
    id: "9b",
    text: "Translate Test gives slight gains in MLIR",
    variant: TT,
    paper: "+2.2",
    paperEffect: 0.022,
  }),
  ttBelow(METHODS.ttZeroShot, ZS, "10a", TT),
  ttBelow(METHODS.ttMlcs, METHODS.mlcs, "10b", "TT (ML-CS) vs ML-CS"),
  ttBehindCs(METHODS.mlcs, "MoIR", SEEN, "11a", MULTI),
  ttBehindCs(METHODS.blcs, "CLIR", SEEN_PAIRS, "11b", PAIR_CLIR),
  versus(METHODS.fineTuning, METHODS.mlcs, "MoIR", SEEN, {
    id: "12a",
    text: "Fine-tuning on translated data is ahead of code-switching in MoIR",
    variant: MULTI,
    paper: "+4",
    paperEffect: 0.04,
    caveat: FT_CAVEAT,
  }),
  versus(METHODS.fineTuning, METHODS.blcs, "CLIR", SEEN_PAIRS, {
    id: "12b",
    text: "Fine-tuning on translated data is ahead of code-switching in CLIR",
    variant: PAIR_CLIR,
    paper: "+11.1",
    paperEffect: 0.111,
    caveat: FT_CAVEAT,
  }),
  custom("(Fine-tuning − BL-CS) CLIR − (Fine-tuning − ML-CS) MoIR", "CLIR, MoIR", (s) => ({
    pairs: `CLIR ${s.seenPairs.join(" ")}; MoIR ${s.seen.join(" ")}`,
    terms: [
      ...diff(METHODS.fineTuning, METHODS.blcs, "CLIR", s.seenPairs),
      ...scale(diff(METHODS.fineTuning, METHODS.mlcs, "MoIR", s.seen), -1),
    ],
  }), {
    id: "12c",
    text: "The gap to fine-tuning is smaller in MoIR than in CLIR",
    variant: `${PAIR_CLIR}; ${MULTI}`,
    paper: "+11.1 vs +4 (+7.1)",
    paperEffect: 0.071,
    caveat: FT_CAVEAT,
  }),
];
