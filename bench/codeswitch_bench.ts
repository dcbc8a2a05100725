/**
 * Code-switching throughput on real text: SQuAD v1.1 train questions paired
 * with sentences of their paragraphs (1 positive : 4 others, as the training
 * records), switched with the real MUSE dictionaries of the seen languages.
 * Tokens per second = the token count printed at start-up / time per iteration.
 *
 * Mirror: `CSCLIR_MIRROR` (default `../shared/mirror`).
 */

import { join } from "node:path";
import { tokenize, type TrainingInstance } from "../tasks/util/mod.ts";
import { parseExplorerPage } from "../datasets/mod.ts";
import {
  HUNALIGN_MUSE_COMMIT,
  type Lexicon,
  readMuseDictionary,
  stopwords,
} from "../lexicons/mod.ts";
import {
  codeSwitchFile,
  type CodeSwitchOptions,
  compileOptions,
  emptyCounters,
  switchRecord,
} from "../tasks/codeswitch/mod.ts";

const MIRROR = join(
  Deno.env.get("CSCLIR_MIRROR") ?? "../shared/mirror",
  "raw.githubusercontent.com",
);
const SQUAD = join(MIRROR, "rajpurkar/SQuAD-explorer");
const PAGES = 40;
const LANGS = ["de", "ru", "ar", "es", "zh"];

function squadRecords(): TrainingInstance[] {
  const commit = [...Deno.readDirSync(SQUAD)][0].name;
  const dir = join(SQUAD, commit, "explore/1.1/train");
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n !== "index.html")
    .sort().slice(0, PAGES);
  const out: TrainingInstance[] = [];
  for (const name of names) {
    const page = parseExplorerPage(Deno.readTextFileSync(join(dir, name)), name);
    for (const [pi, para] of page.paragraphs.entries()) {
      const sentences = para.text.split(/(?<=[.!?])\s+/);
      for (const [qi, qa] of para.qas.entries()) {
        for (let k = 0; k < 5; k++) {
          out.push({
            qid: `${name}-${pi}-${qi}`,
            query: qa.question,
            pid: `${name}-${pi}-${(qi + k) % sentences.length}`,
            passage: sentences[(qi + k) % sentences.length],
            label: k === 0 ? 1 : 0,
          });
        }
      }
    }
  }
  return out;
}

const records = squadRecords();
const tokens = records.reduce(
  (n, r) => n + tokenize(r.query, "en").length + tokenize(r.passage, "en").length,
  0,
);
const lexicons = new Map<string, Lexicon>();
for (const lang of LANGS) {
  const path = join(
    MIRROR,
    `coezbek/hunalign-dict-muse/${HUNALIGN_MUSE_COMMIT}/dict/en-${lang}.dict`,
  );
  lexicons.set(lang, (await readMuseDictionary(path, "en", lang, "hunalign")).lexicon);
}
const dir = await Deno.makeTempDir({ prefix: "codeswitch_bench_" });
const input = join(dir, "train.jsonl");
await Deno.writeTextFile(input, records.map((r) => JSON.stringify(r) + "\n").join(""));
console.log(`codeswitch bench: ${records.length} records, ${tokens} tokens per iteration`);

const ML: CodeSwitchOptions = {
  variant: "ml-cs",
  languages: LANGS,
  p: 0.5,
  queryLexicons: lexicons,
  stopwords: stopwords("en"),
};
const BL: CodeSwitchOptions = {
  ...ML,
  variant: "bl-cs",
  languages: undefined,
  queryLang: "de",
  docLang: "ru",
};

for (const [name, opts] of [["bl-cs", BL], ["ml-cs", ML]] as const) {
  const config = compileOptions(opts);
  Deno.bench({ name: `${name} in process, records in memory`, n: 5, warmup: 1 }, () => {
    const c = emptyCounters();
    for (let i = 0; i < records.length; i++) switchRecord(config, records[i], i, c);
  });
}

for (const workers of [0, 1, 2]) {
  Deno.bench({ name: `ml-cs file, ${workers} workers`, n: 5, warmup: 1 }, async () => {
    await codeSwitchFile({
      ...ML,
      input,
      output: join(dir, `out${workers}.jsonl`),
      workers,
      progress: false,
    });
  });
}

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
