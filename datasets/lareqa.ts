/**
 * Loader for the LAReQA retrieval sets XQuAD-R and MLQA-R: SQuAD-format JSON
 * whose paragraphs carry `sentences` and `sentence_breaks`. Every sentence is
 * a candidate document; a question's relevant document is the sentence of its
 * paragraph whose span holds the answer start.
 *
 * Ids are shared across languages: XQuAD-R files are parallel, so a paragraph
 * is `${articleIndex}-${paragraphIndex}`; MLQA-R files are not (each language
 * has its own paragraphs and question subset), so a paragraph is named after
 * the lowest question id it holds (`q:<qid>`), which matches across languages
 * whenever the paragraphs hold the same questions. Sentences are
 * `${paragraphId}.${sentenceIndex}`; questions keep their dataset id.
 *
 * @module
 */

import {
  type Document,
  InputError,
  type Lang,
  type Qrel,
  type Query,
  readTextInput,
} from "../tasks/util/mod.ts";

/** How paragraph ids are formed (see the module doc). */
export type ParagraphIdScheme = "position" | "first-question";

/** A paragraph and the ids of its sentences, in order. */
export interface LareqaParagraph {
  /** Paragraph id (shared across languages). */
  id: string;
  /** Title of its article. */
  title: string;
  /** Docids of its sentences. */
  docids: string[];
}

/**
 * One language of a LAReQA set.
 *
 * @example
 * ```ts
 * declare const lareqaSet: LareqaSet;
 * lareqaSet.lang;
 * ```
 */
export interface LareqaSet {
  /** Language of the file. */
  lang: Lang;
  /** Questions. */
  queries: Query[];
  /** Candidate sentences; `groupId` is the paragraph id. */
  documents: Document[];
  /** One relevant sentence per question. */
  qrels: Qrel[];
  /** Paragraphs in file order. */
  paragraphs: LareqaParagraph[];
}

interface RawQa {
  id: string;
  question: string;
  answers: { answer_start: number; text: string }[];
}

interface RawParagraph {
  context: string;
  sentences: string[];
  sentence_breaks: [number, number][];
  qas: RawQa[];
}

/** Parses JSON text, turning a syntax error into an {@linkcode InputError} with the line. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split("\n").length : undefined;
    throw new InputError(file, line, `expected valid JSON (${msg})`);
  }
}

function fail(file: string, where: string, expected: string): never {
  throw new InputError(file, undefined, `${where}: expected ${expected}`);
}

/**
 * Builds a {@linkcode LareqaSet} from parsed LAReQA JSON.
 *
 * @param file name used in error messages
 */
export function parseLareqa(
  json: unknown,
  file: string,
  lang: Lang,
  scheme: ParagraphIdScheme,
): LareqaSet {
  const data = (json as { data?: unknown })?.data;
  if (!Array.isArray(data)) fail(file, "top level", 'an object with a "data" array');
  const set: LareqaSet = { lang, queries: [], documents: [], qrels: [], paragraphs: [] };
  data.forEach((article: { title?: string; paragraphs?: RawParagraph[] }, a: number) => {
    if (!Array.isArray(article?.paragraphs)) fail(file, `data[${a}]`, "a paragraphs array");
    article.paragraphs.forEach((p, i) => {
      const where = `data[${a}].paragraphs[${i}]`;
      const { sentences, sentence_breaks: breaks, qas } = p;
      if (
        !Array.isArray(sentences) || !Array.isArray(breaks) || breaks.length !== sentences.length
      ) {
        fail(file, where, "sentences and sentence_breaks arrays of equal length");
      }
      if (!Array.isArray(qas) || qas.length === 0) fail(file, where, "a non-empty qas array");
      const pid = scheme === "position"
        ? `${a}-${i}`
        : `q:${qas.map((q) => q.id).reduce((x, y) => (y < x ? y : x))}`;
      const docids = sentences.map((_, s) => `${pid}.${s}`);
      set.paragraphs.push({ id: pid, title: article.title ?? "", docids });
      sentences.forEach((text, s) =>
        set.documents.push({ docid: docids[s], text, lang, groupId: pid })
      );
      qas.forEach((qa, q) => {
        const start = qa.answers?.[0]?.answer_start;
        if (typeof qa.id !== "string" || typeof qa.question !== "string" || !(start >= 0)) {
          fail(file, `${where}.qas[${q}]`, "id, question and answers[0].answer_start");
        }
        // The sentence holding the answer start; a start in the gap between
        // two sentences belongs to the earlier one.
        let hit = -1;
        for (let s = 0; s < breaks.length && breaks[s][0] <= start; s++) hit = s;
        if (hit < 0) fail(file, `${where}.qas[${q}]`, "an answer_start inside a sentence");
        set.queries.push({ qid: qa.id, text: qa.question, lang });
        set.qrels.push({ qid: qa.id, docid: docids[hit], rel: 1 });
      });
    });
  });
  return set;
}

/**
 * Loads one language file of XQuAD-R (`scheme` "position") or MLQA-R ("first-question").
 *
 * @example
 * ```ts
 * const de = await loadLareqa("xquad-r/de.json", "de", "position");
 * de.queries.length; // 1190
 * ```
 */
export async function loadLareqa(
  path: string,
  lang: Lang,
  scheme: ParagraphIdScheme,
): Promise<LareqaSet> {
  const text = await readTextInput(path);
  return parseLareqa(parseJsonFile(text, path), path, lang, scheme);
}

/**
 * Reads the "questions / candidates" table of the LAReQA README:
 * language -> published counts.
 */
export function parseLareqaReadmeTable(
  markdown: string,
): Map<Lang, { questions: number; candidates: number }> {
  const table = new Map<Lang, { questions: number; candidates: number }>();
  for (const m of markdown.matchAll(/^\|\s*([a-z]{2})\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*$/gm)) {
    table.set(m[1], { questions: Number(m[2]), candidates: Number(m[3]) });
  }
  return table;
}
