/**
 * Glue between the `codeswitch` command line (or the reproduce stage) and
 * {@linkcode codeSwitchFile}: finds and loads the English-to-X lexicons from a
 * lexicon directory or explicit files, resolves profile defaults, and checks
 * the raw option strings.
 *
 * @module
 */

import { join } from "node:path";
import {
  fileExists,
  type Lang,
  OptionError,
  parseIntOption,
  parseNumberOption,
} from "../util/mod.ts";
import { type Lexicon, readLexiconFile, stopwords } from "../../lexicons/mod.ts";
import { codeSwitchFile } from "./file.ts";
import { SWITCH_DEFAULTS, type Variant, VARIANTS } from "./options.ts";
import type { CodeSwitchStats } from "./stats.ts";
import { getProfile } from "../profiles/mod.ts";

/** Where to find English-to-X lexicons. */
export interface LexiconSources {
  /**
   * Directory with `en-<lang>.tsv` (both sides), or `en-<lang>.query.tsv` and
   * `en-<lang>.passage.tsv` for the paper's separate query and passage tables.
   */
  lexiconDir?: string;
  /** Explicit files per language (both sides unless `passage` overrides). */
  query?: Record<Lang, string>;
  /** Explicit passage-side files per language. */
  passage?: Record<Lang, string>;
}

/** Loads the English-to-X lexicons each side needs (English skipped). */
export async function loadSwitchLexicons(
  langs: { query: Lang[]; passage: Lang[] },
  src: LexiconSources,
): Promise<{ query: Map<Lang, Lexicon>; passage: Map<Lang, Lexicon> }> {
  const loaded = new Map<string, Lexicon>();
  const load = async (path: string, lang: Lang) => {
    let lex = loaded.get(path);
    if (!lex) loaded.set(path, lex = await readLexiconFile(path, "en", lang));
    return lex;
  };
  const find = async (lang: Lang, side: "query" | "passage"): Promise<string> => {
    const explicit = src[side]?.[lang] ?? src.query?.[lang];
    if (explicit !== undefined) return explicit;
    if (src.lexiconDir === undefined) {
      throw new OptionError("--lexicon", `a lexicon for en-${lang} (or --lexicon-dir)`, "none");
    }
    const sided = join(src.lexiconDir, `en-${lang}.${side}.tsv`);
    if (await fileExists(sided)) return sided;
    const both = join(src.lexiconDir, `en-${lang}.tsv`);
    if (await fileExists(both)) return both;
    throw new OptionError("--lexicon-dir", `a directory holding en-${lang}.tsv`, src.lexiconDir);
  };
  const query = new Map<Lang, Lexicon>(), passage = new Map<Lang, Lexicon>();
  for (const side of ["query", "passage"] as const) {
    const into = side === "query" ? query : passage;
    for (const lang of langs[side]) {
      if (lang !== "en" && !into.has(lang)) {
        into.set(lang, await load(await find(lang, side), lang));
      }
    }
  }
  return { query, passage };
}

/**
 * Raw option strings of the `codeswitch` subcommand.
 *
 * @example
 * ```ts
 * declare const codeSwitchCliOptions: CodeSwitchCliOptions;
 * codeSwitchCliOptions.variant;
 * ```
 */
export interface CodeSwitchCliOptions {
  /** Variant name. */
  variant: string;
  /** Query language (BL-CS, bilingual Wiki-CS). */
  queryLang?: string;
  /** Document language (BL-CS, bilingual Wiki-CS). */
  docLang?: string;
  /** Comma-separated languages (ML-CS, multilingual Wiki-CS). */
  languages?: string;
  /** Profile that gives default languages and p. */
  profile: string;
  /** Ratio. */
  p?: string;
  /** Seed. */
  seed?: string;
  /** Worker threads. */
  workers?: string;
  /** Lexicon directory. */
  lexiconDir?: string;
  /** `lang=path` items. */
  lexicon?: string[];
  /** `lang=path` items for passages. */
  passageLexicon?: string[];
  /** Replace an existing OUT that is not a training-records file. */
  force?: boolean;
}

function parseLangPaths(option: string, items: string[] = []): Record<Lang, string> {
  const out: Record<Lang, string> = {};
  for (const item of items) {
    const m = /^([a-z]{2,3})=(.+)$/.exec(item);
    if (!m) throw new OptionError(option, "lang=path, e.g. de=lexicons/en-de.tsv", item);
    out[m[1]] = m[2];
  }
  return out;
}

/**
 * Runs one code-switching job from raw CLI options: profile defaults (p, the
 * seen languages without English), English stopwords, lexicons, then
 * {@linkcode codeSwitchFile}.
 *
 * @example
 * ```ts
 * const stats = await runCodeSwitch("train.jsonl", "train.bl-cs.jsonl", {
 *   variant: "bl-cs",
 *   profile: "xquad-r",
 *   queryLang: "en",
 *   docLang: "de",
 *   lexicon: ["de=en-de.tsv"],
 * });
 * stats.switchRate;
 * ```
 */
export async function runCodeSwitch(
  input: string,
  output: string,
  o: CodeSwitchCliOptions,
): Promise<CodeSwitchStats> {
  if (!VARIANTS.includes(o.variant as Variant)) {
    throw new OptionError("--variant", `one of ${VARIANTS.join(", ")}`, o.variant);
  }
  const variant = o.variant as Variant;
  const profile = getProfile(o.profile);
  const bilingual = variant === "bl-cs" || o.queryLang !== undefined || o.docLang !== undefined;
  if (bilingual && o.languages !== undefined) {
    throw new OptionError(
      "--languages",
      "no --languages with --query-lang/--doc-lang",
      o.languages,
    );
  }
  const languages = bilingual
    ? undefined
    : o.languages !== undefined
    ? o.languages.split(",").map((l) => l.trim()).filter((l) => l !== "")
    : profile.seen.filter((l) => l !== "en");
  const p = parseNumberOption("--p", o.p, { min: 0, max: 1 }) ??
    (variant === "wiki-cs" ? SWITCH_DEFAULTS.p[variant] : profile.p);
  // Range checks (and defaults) of seed and workers are codeSwitchFile's.
  const seed = parseIntOption("--seed", o.seed);
  const workers = parseIntOption("--workers", o.workers);
  const code = (l?: string) => (l !== undefined && /^[a-z]{2,3}$/.test(l) ? [l] : []);
  const lexicons = await loadSwitchLexicons(
    languages
      ? { query: languages, passage: languages }
      : { query: code(o.queryLang), passage: code(o.docLang) },
    {
      lexiconDir: o.lexiconDir,
      query: parseLangPaths("--lexicon", o.lexicon),
      passage: parseLangPaths("--passage-lexicon", o.passageLexicon),
    },
  );
  return await codeSwitchFile({
    variant,
    queryLang: bilingual ? o.queryLang : undefined,
    docLang: bilingual ? o.docLang : undefined,
    languages,
    queryLexicons: lexicons.query,
    passageLexicons: lexicons.passage,
    p,
    seed,
    workers,
    stopwords: stopwords("en"),
    input,
    output,
    force: o.force,
  });
}
