/**
 * Code-switching options: the variants, what a run is asked for, and the
 * resolved, worker-shippable configuration ({@linkcode compileOptions}).
 *
 * @module
 */

import { checkNumberOption, type Lang, OptionError } from "../util/mod.ts";
import type { Lexicon } from "../../lexicons/mod.ts";
import { type LexiconTable, lexiconTable } from "./matching.ts";

/**
 * The code-switching variants of the paper.
 *
 * @example
 * ```ts
 * const variant: Variant = "bl-cs";
 * ```
 */
export type Variant = "bl-cs" | "ml-cs" | "wiki-cs";

/**
 * The variants, for option checking and help text.
 *
 * @example
 * ```ts
 * VARIANTS.includes("ml-cs"); // true
 * ```
 */
export const VARIANTS: readonly Variant[] = ["bl-cs", "ml-cs", "wiki-cs"];

/**
 * Defaults of {@linkcode CodeSwitchOptions}, shared by `codeswitch` and its help.
 *
 * @example
 * ```ts
 * SWITCH_DEFAULTS.seed;
 * ```
 */
export const SWITCH_DEFAULTS = {
  /** Seed of the per-record random streams. */
  seed: 1,
  /** Switching probability by variant (Wiki-CS replaces every title it finds). */
  p: { "bl-cs": 0.5, "ml-cs": 0.5, "wiki-cs": 1 } as Readonly<Record<Variant, number>>,
} as const;

/**
 * What to switch, into which languages, with which lexicons.
 *
 * @example
 * ```ts
 * declare const codeSwitchOptions: CodeSwitchOptions;
 * codeSwitchOptions.variant;
 * ```
 */
export interface CodeSwitchOptions {
  /** `bl-cs`, `ml-cs` or `wiki-cs`. */
  variant: Variant;
  /**
   * Query language of BL-CS and of bilingual Wiki-CS (`en` keeps queries English).
   * Wiki-CS is bilingual when `queryLang` and `docLang` are set, multilingual otherwise.
   */
  queryLang?: Lang;
  /** Document language of BL-CS and of bilingual Wiki-CS (`en` keeps passages English). */
  docLang?: Lang;
  /**
   * Languages to sample from: per token for ML-CS (non-English only), per
   * instance and side for multilingual Wiki-CS (`en` allowed: that side stays English).
   * Usually the profile's seen languages without English.
   */
  languages?: Lang[];
  /** English-to-X lexicons for queries, keyed by target language. */
  queryLexicons: Map<Lang, Lexicon>;
  /** English-to-X lexicons for passages; default `queryLexicons`. */
  passageLexicons?: Map<Lang, Lexicon>;
  /** Switching probability per token (per matched n-gram for Wiki-CS). Default 0.5; Wiki-CS 1.0. */
  p?: number;
  /** Seed of the per-record random streams. Default 1. */
  seed?: number;
  /** Lower-cased English stopwords: never start a Wiki-CS match, excluded from switch rates. */
  stopwords?: ReadonlySet<string>;
}

/** The resolved settings of a run, shared by the worker config and the statistics. */
export interface SwitchSettings {
  /** Variant used. */
  variant: Variant;
  /** Switching probability. */
  p: number;
  /** Seed. */
  seed: number;
  /** Fixed query language (BL-CS, bilingual Wiki-CS). */
  queryLang?: Lang;
  /** Fixed document language (BL-CS, bilingual Wiki-CS). */
  docLang?: Lang;
  /** Sampled languages (ML-CS, multilingual Wiki-CS). */
  languages?: Lang[];
}

/**
 * The structured-clone-safe form of {@linkcode CodeSwitchOptions} after
 * validation, shipped once to every worker.
 */
export interface SwitchConfig extends SwitchSettings {
  /** Query lexicons (entries and n-gram length) by language. */
  queryLexicons: Map<Lang, LexiconTable>;
  /** Passage lexicons by language. */
  passageLexicons: Map<Lang, LexiconTable>;
  /** Stopwords. */
  stopwords: ReadonlySet<string>;
}

/**
 * Validates options and builds the worker-shippable configuration.
 * Throws {@linkcode OptionError} naming the bad option.
 *
 * @example
 * ```ts
 * const de = { source: "en", target: "de", maxNgram: 1, entries: new Map([["cat", ["Katze"]]]) };
 * const config = compileOptions({ variant: "ml-cs", languages: ["de"], queryLexicons: new Map([["de", de]]) });
 * config.p; // 0.5
 * ```
 */
export function compileOptions(opts: CodeSwitchOptions): SwitchConfig {
  const { variant } = opts;
  if (!VARIANTS.includes(variant)) {
    throw new OptionError("--variant", `one of ${VARIANTS.join(", ")}`, variant);
  }
  const p = checkNumberOption("--p", opts.p ?? SWITCH_DEFAULTS.p[variant], {
    min: 0,
    max: 1,
  });
  const seed = checkNumberOption("--seed", opts.seed ?? SWITCH_DEFAULTS.seed, {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    integer: true,
  });
  const queryLex = opts.queryLexicons;
  const passageLex = opts.passageLexicons ?? queryLex;
  const bilingual = variant === "bl-cs" ||
    (variant === "wiki-cs" && (opts.queryLang !== undefined || opts.docLang !== undefined));
  const config: SwitchConfig = {
    variant,
    p,
    seed,
    queryLexicons: new Map(),
    passageLexicons: new Map(),
    stopwords: opts.stopwords ?? new Set(),
  };
  const need = (lang: Lang, side: "query" | "passage") => {
    if (lang === "en") return;
    const from = side === "query" ? queryLex : passageLex;
    const lex = from.get(lang);
    const option = side === "query" ? "--lexicon (query side)" : "--lexicon (passage side)";
    if (!lex) throw new OptionError(option, `an English-to-${lang} lexicon`, "none");
    if (lex.source !== "en" || lex.target !== lang) {
      throw new OptionError(option, `an en-${lang} lexicon`, `${lex.source}-${lex.target}`);
    }
    const into = side === "query" ? config.queryLexicons : config.passageLexicons;
    into.set(lang, lexiconTable(lex));
  };
  if (bilingual) {
    if (opts.languages !== undefined) {
      throw new OptionError("--languages", `no languages for bilingual ${variant}`, opts.languages);
    }
    for (const [name, lang] of [["--query-lang", opts.queryLang], ["--doc-lang", opts.docLang]]) {
      if (typeof lang !== "string" || !/^[a-z]{2,3}$/.test(lang)) {
        throw new OptionError(name!, "an ISO 639-1 language code", lang);
      }
    }
    config.queryLang = opts.queryLang;
    config.docLang = opts.docLang;
    need(opts.queryLang!, "query");
    need(opts.docLang!, "passage");
  } else {
    const langs = opts.languages;
    if (!Array.isArray(langs) || langs.length === 0) {
      throw new OptionError("--languages", `a non-empty list of languages for ${variant}`, langs);
    }
    if (new Set(langs).size !== langs.length) {
      throw new OptionError("--languages", "distinct languages", langs);
    }
    if (variant === "ml-cs" && langs.includes("en")) {
      throw new OptionError("--languages", "non-English languages for ml-cs", langs);
    }
    config.languages = [...langs];
    for (const lang of langs) {
      need(lang, "query");
      need(lang, "passage");
    }
  }
  return config;
}
