/**
 * Loader for SQuAD v1.1 train from the SQuAD explorer pages: one HTML page per
 * article (paragraphs in `<pre>`, then their questions and answers), plus
 * `index.html`, whose link order fixes the article order and so the ids.
 *
 * The pages carry no answer offsets, so the answer sentence is found by
 * searching the answer text in the paragraph, split into sentences with ICU
 * (`Intl.Segmenter`, sentence granularity): a question is kept when every
 * occurrence of its answer lies inside one and the same sentence; it is
 * dropped as ambiguous when occurrences fall in different sentences, and as
 * not found when no sentence holds a whole occurrence.
 *
 * Ids: paragraph `${articleIndex}-${paragraphIndex}`, question
 * `${paragraphId}-${questionIndex}`, all 0-based.
 *
 * @module
 */

import { decodeHTML } from "entities";
import { InputError } from "../tasks/util/mod.ts";

/**
 * A SQuAD paragraph split into sentences.
 *
 * @example
 * ```ts
 * declare const squadParagraph: SquadParagraph;
 * squadParagraph.id;
 * ```
 */
export interface SquadParagraph {
  /** `${articleIndex}-${paragraphIndex}`. */
  id: string;
  /** Title of its article. */
  title: string;
  /** Paragraph text (unescaped). */
  text: string;
  /** Its sentences (ICU segmentation, trimmed). */
  sentences: string[];
}

/**
 * A kept question with its answer sentence.
 *
 * @example
 * ```ts
 * declare const squadQuestion: SquadQuestion;
 * squadQuestion.qid;
 * ```
 */
export interface SquadQuestion {
  /** `${paragraphId}-${questionIndex}`. */
  qid: string;
  /** Question text. */
  text: string;
  /** Id of its paragraph. */
  paragraphId: string;
  /** Answer text (the first answer). */
  answer: string;
  /** Index into the paragraph's `sentences` of the sentence holding the answer. */
  answerSentence: number;
}

/** SQuAD train as paragraphs and answerable-by-one-sentence questions. */
export interface SquadSet {
  /** Number of articles read. */
  articles: number;
  /** Every paragraph. */
  paragraphs: SquadParagraph[];
  /** Kept questions. */
  questions: SquadQuestion[];
  /** All questions read (kept + dropped). */
  total: number;
  /** Dropped questions by reason. */
  dropped: { ambiguous: number; notFound: number };
}

/** One explorer page as published: paragraphs with their questions and answers. */
export interface ExplorerPage {
  /** Article title. */
  title: string;
  /** Paragraphs in page order. */
  paragraphs: { text: string; qas: { question: string; answers: string[] }[] }[];
}

const TOKEN =
  /<h1 id="title">([\s\S]*?)<\/h1>|<pre>([\s\S]*?)<\/pre>|<strong class="question">([\s\S]*?)<\/strong>|<span class="answer">([\s\S]*?)<\/span>/g;

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/**
 * Parses one explorer page; `file` names it in errors.
 *
 * @example
 * ```ts
 * const page = parseExplorerPage(await Deno.readTextFile("Oxygen.html"), "Oxygen.html");
 * page.paragraphs.length;
 * ```
 */
export function parseExplorerPage(html: string, file: string): ExplorerPage {
  const page: ExplorerPage = { title: "", paragraphs: [] };
  let sawTitle = false;
  for (const m of html.matchAll(TOKEN)) {
    const [, title, pre, question, answer] = m;
    if (title !== undefined) {
      page.title = decodeHTML(title);
      sawTitle = true;
    } else if (pre !== undefined) {
      page.paragraphs.push({ text: decodeHTML(pre), qas: [] });
    } else if (question !== undefined) {
      const para = page.paragraphs.at(-1);
      if (!para) {
        throw new InputError(file, lineAt(html, m.index), "expected <pre> before a question");
      }
      para.qas.push({ question: decodeHTML(question).trim(), answers: [] });
    } else {
      const qa = page.paragraphs.at(-1)?.qas.at(-1);
      if (!qa) {
        throw new InputError(file, lineAt(html, m.index), "expected a question before an answer");
      }
      qa.answers.push(decodeHTML(answer));
    }
  }
  if (!sawTitle) throw new InputError(file, undefined, 'expected an <h1 id="title"> element');
  if (page.paragraphs.length === 0) {
    throw new InputError(file, undefined, "expected <pre> paragraphs");
  }
  for (const [i, p] of page.paragraphs.entries()) {
    const bad = p.qas.findIndex((qa) => qa.answers.length === 0);
    if (bad >= 0) {
      throw new InputError(file, undefined, `paragraph ${i}, question ${bad}: expected an answer`);
    }
  }
  return page;
}

/** Article page names linked from `index.html`, in link order. */
export function parseExplorerIndex(html: string): string[] {
  return [...html.matchAll(/href="\/SQuAD-explorer\/explore\/1\.1\/train\/([^"]+\.html)"/g)]
    .map((m) => m[1]);
}

const SENTENCES = new Intl.Segmenter("en", { granularity: "sentence" });

/** Sentences of `text` with their spans (trailing whitespace excluded from the text). */
export function splitSentences(text: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  for (const s of SENTENCES.segment(text)) {
    const t = s.segment.trim();
    if (t !== "") out.push({ text: t, start: s.index, end: s.index + s.segment.length });
  }
  return out;
}

/**
 * Index of the one sentence holding every occurrence of `answer`, or
 * "ambiguous" / "not-found".
 */
export function answerSentence(
  text: string,
  sentences: { start: number; end: number }[],
  answer: string,
): number | "ambiguous" | "not-found" {
  const hits = new Set<number>();
  let outside = false;
  for (let at = text.indexOf(answer); at >= 0 && answer !== ""; at = text.indexOf(answer, at + 1)) {
    const s = sentences.findIndex((x) => x.start <= at && at + answer.length <= x.end);
    if (s < 0) outside = true;
    else hits.add(s);
  }
  if (hits.size > 1 || (hits.size === 1 && outside)) return "ambiguous";
  return hits.size === 1 ? [...hits][0] : "not-found";
}

/**
 * Loads SQuAD v1.1 train from explorer pages: `files` maps page names
 * (including `index.html`) to local paths, as returned by `fetchDataset`.
 *
 * @example
 * ```ts
 * import { fetchDataset } from "./download.ts";
 * const squad = await loadSquadExplorer(await fetchDataset("squad/v1.1/train", { mirror: "../shared/mirror" }));
 * squad.questions.length;
 * ```
 */
export async function loadSquadExplorer(files: Record<string, string>): Promise<SquadSet> {
  const indexPath = files["index.html"];
  if (!indexPath) throw new InputError("index.html", undefined, "expected the explorer index page");
  const names = parseExplorerIndex(await Deno.readTextFile(indexPath));
  if (names.length === 0) throw new InputError(indexPath, undefined, "expected article links");
  const set: SquadSet = {
    articles: 0,
    paragraphs: [],
    questions: [],
    total: 0,
    dropped: { ambiguous: 0, notFound: 0 },
  };
  for (const [a, name] of names.entries()) {
    const path = files[name];
    if (!path) {
      throw new InputError(indexPath, undefined, `links to ${name}, which is not among the files`);
    }
    const page = parseExplorerPage(await Deno.readTextFile(path), path);
    set.articles++;
    for (const [p, para] of page.paragraphs.entries()) {
      const id = `${a}-${p}`;
      const spans = splitSentences(para.text);
      set.paragraphs.push({
        id,
        title: page.title,
        text: para.text,
        sentences: spans.map((s) => s.text),
      });
      for (const [q, qa] of para.qas.entries()) {
        set.total++;
        const hit = answerSentence(para.text, spans, qa.answers[0]);
        if (hit === "ambiguous") set.dropped.ambiguous++;
        else if (hit === "not-found") set.dropped.notFound++;
        else {
          set.questions.push({
            qid: `${id}-${q}`,
            text: qa.question,
            paragraphId: id,
            answer: qa.answers[0],
            answerSentence: hit,
          });
        }
      }
    }
  }
  return set;
}
