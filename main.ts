/**
 * csclir-bench command line. This file only parses arguments and calls the
 * stage functions in `tasks/`, `datasets/` and `lexicons/`.
 *
 * @module
 */

import { Command, CommanderError } from "commander";
import { isFileSystemError, UserError } from "./tasks/util/mod.ts";
import { type EvaluateCliOptions, runEvaluate } from "./tasks/evaluate/mod.ts";
import { diffVersions, formatDiff } from "./tasks/diff/mod.ts";
import {
  type CodeSwitchCliOptions,
  runCodeSwitch,
  SWITCH_DEFAULTS,
} from "./tasks/codeswitch/mod.ts";
import { fetchAndSummarize, formatCatalogue } from "./datasets/mod.ts";
import { DEFAULT_PROFILE, getProfile, PROFILES } from "./tasks/profiles/mod.ts";
import {
  runTrainset,
  TRAINSET_DEFAULTS as TS,
  type TrainsetCliOptions,
} from "./tasks/trainset/mod.ts";
import {
  type InduceCliOptions,
  type LexiconsCliOptions,
  runInduce,
  runLexicons,
} from "./tasks/profile_lexicons/mod.ts";
import { RUN_DEFAULTS, type RunCliOptions, runDevCommand, runPlan } from "./tasks/pipeline/mod.ts";
import {
  defaultJobs,
  type ExecutorCliOptions,
  runReproduceOn,
  runStageOrShard,
  runStatus,
  type StageCliOptions,
} from "./tasks/executor/mod.ts";
import { TRAIN_DEFAULTS } from "./tasks/ranker/mod.ts";
import { runScore, SCORE_DEFAULTS, type ScoreCliOptions } from "./tasks/score/mod.ts";
import {
  CROSS_ENCODER_DEFAULTS as CE,
  runTrainCommand,
  type TrainCommandOptions,
} from "./tasks/trainer/mod.ts";
import denoConfig from "./deno.json" with { type: "json" };

/** Options of the `fetch` subcommand. */
interface FetchCliOptions {
  profile: string;
  mirror?: string;
  offline?: boolean;
  cacheDir?: string;
  verify?: boolean;
  list?: boolean;
}

/** Adds `--mirror`, `--offline` and `--cache-dir`: declared here once for every command that reads data. */
function withDataOptions(c: Command): Command {
  return c
    .option("--mirror <dir>", "offline mirror folder laid out as <host>/<path> (env CSCLIR_MIRROR)")
    .option("--offline", "never use the network; missing files are listed as an error")
    .option(
      "--cache-dir <dir>",
      "cache directory (env CSCLIR_CACHE, default ~/.cache/csclir-bench)",
    );
}

/** The options of a run, shared by `reproduce`, `plan` and `stage`; defaults live in RUN_DEFAULTS. */
function withRunOptions(c: Command): Command {
  return withDataOptions(
    c.option(
      "--profile <name>",
      `${PROFILES.map((p) => p.name).join(" or ")} (default ${RUN_DEFAULTS.profile})`,
    )
      .option(
        "--quick",
        "smoke scale of the profile (xquad-r: 1.5k training questions, 5 rerank sets, " +
          "200 queries), 1 seed",
      )
      .option("--seeds <n>", "train seeds 1..n (default: the profile's 5; 1 with --quick)")
      .option("--best-of-seeds", "report the best seed per cell (the released script's choice)")
      .option(
        "--correction <name>",
        `multiple-testing correction within each table and the claims: holm or bonferroni ` +
          `(default ${RUN_DEFAULTS.correction})`,
      )
      .option(
        "--candidates <n>",
        "candidate depth per query: BM25 paragraphs (xquad-r, default 15) or top1000 depth " +
          "(mmarco, default 100); pools grow, the models are reused",
      )
      .option(
        "--train-size <n>",
        "training set size: SQuAD questions (xquad-r, default 15000) or MS MARCO triples " +
          "(mmarco, default 200000; the paper's 200k steps × 64 read 12,800,000)",
      )
      .option(
        "--bm25-feature",
        "give the rankers the BM25 feature (off by default, as the paper's cross-encoder; " +
          "decided on MLQA-R dev, see `dev`)",
      )
      .option("--no-bm25-feature", "train the rankers without the BM25 feature (the default)")
      .option(
        "--no-prior",
        "train every ranker from random embeddings instead of the cross-lingual prior",
      )
      .option(
        "--margin <points>",
        `equivalence margin of the "stable" / "on par" claims, in points of the measure × 100 ` +
          `(default ${RUN_DEFAULTS.margin * 100})`,
      )
      .option(
        "--p <ratio>",
        "code-switching ratio of BL-CS and ML-CS (default: the profile's, 0.5)",
      )
      .option(
        "--workers <n>",
        "threads for code-switching, training and scoring, 1 or 2; results do not depend on it " +
          `(default ${RUN_DEFAULTS.workers}; 1 in each process of a --jobs pool)`,
      )
      .option(
        "--results-dir <dir>",
        "result version directory (default results/<profile>/v<version>[-quick][+<config tag>])",
      )
      .option(
        "--wikititles <lang=file...>",
        "parallel Wikipedia titles for the Wiki-CS lexicons (see `lexicons --help`)",
      )
      .option(
        "--trainer <name>",
        "knrm (built in, default), torch (the reference PyTorch trainer of transformer " +
          "cross-encoders) or a trainer command following the contract (README, Trainers)",
      )
      .option(
        "--base-model <dir>",
        "transformer trainers: base model in Hugging Face layout (config.json, tokenizer.json, " +
          "pytorch_model.bin)",
      )
      .option(
        "--python <path>",
        "interpreter of --trainer torch (env CSCLIR_PYTHON, default /usr/bin/python3 if present)",
      )
      .option("--device <name>", `transformer trainers: cpu, cuda or cuda:N (default ${CE.device})`)
      .option(
        "--steps <n>",
        `transformer trainers: optimiser steps (default ${CE.steps}; ${CE.quickSteps} with --quick)`,
      )
      .option(
        "--warmup <n>",
        `transformer trainers: linear warm-up steps (default ${CE.warmup}; ` +
          `${CE.quickWarmup} with --quick)`,
      )
      .option(
        "--trainer-batch <n>",
        `transformer trainers: pairs per step (default ${CE.batchSize})`,
      )
      .option(
        "--trainer-lr <x>",
        `transformer trainers: peak AdamW learning rate (default ${CE.lr})`,
      )
      .option(
        "--max-length <n>",
        `transformer trainers: tokens per pair (default ${CE.maxLength})`,
      )
      .option(
        "--trainer-threads <n>",
        `transformer trainers: CPU threads; part of the config, as the weights' bits depend on ` +
          `it (default ${CE.threads})`,
      ),
  );
}

/** An action that prints what a command function returns (commander passes extra arguments). */
function printing<A extends unknown[]>(run: (...args: A) => Promise<string>) {
  return async (...args: A) => console.log(await run(...args));
}

/** Builds the command-line program (exported for tests). */
export function buildProgram(): Command {
  const program = new Command("csclir-bench")
    .description(
      "Reproduce 'Boosting Zero-shot Cross-lingual Retrieval by Training on Artificially " +
        "Code-Switched Data' (Litschko et al., 2023) and run your own variants.",
    )
    .version(denoConfig.version)
    .showHelpAfterError()
    .exitOverride();
  program.addHelpText(
    "after",
    "\nExample:\n  deno task reproduce --profile xquad-r --quick\n",
  );

  // Subcommands are registered below, one block per stage.

  withDataOptions(program.command("induce"))
    .description(
      "induce a bilingual lexicon from cross-lingual word embeddings (fastText .vec), as the paper",
    )
    .requiredOption("--source <lang>", "source language (ISO 639-1)")
    .requiredOption("--target <lang>", "target language (ISO 639-1)")
    .requiredOption("--source-vec <file>", "source embeddings, e.g. wiki.multi.en.vec")
    .requiredOption("--target-vec <file>", "target embeddings, e.g. wiki.multi.de.vec")
    .requiredOption("--out <tsv>", "output lexicon (a .json sidecar is written beside it)")
    .option("--method <m>", "dot (highest dot product, the paper) or csls", "dot")
    .option("--vocabulary <profile>", "keep only source words of this profile's training text")
    .option("--max-target <n>", "use only the n most frequent target words")
    .option("--gold <tsv>", "report BLI precision@1 against this lexicon (e.g. a MUSE test split)")
    .option(
      "--force",
      "replace an existing --out even when it is not a lexicon with its .json sidecar",
    )
    .addHelpText(
      "after",
      "\nExample:\n  deno run -A main.ts induce --source en --target de --source-vec wiki.multi.en.vec \\\n" +
        "    --target-vec wiki.multi.de.vec --vocabulary xquad-r --max-target 200000 --out en-de.tsv\n",
    )
    .action(printing<[InduceCliOptions]>(runInduce));

  const runCommand = (name: string, description: string, example: string) =>
    withRunOptions(program.command(name).description(description))
      .addHelpText("after", `\nExample:\n  ${example}\n`);

  runCommand(
    "reproduce",
    "run the whole experiment: fetch -> lexicons -> code-switch -> train -> evaluate -> report " +
      "(every stage cached; a rerun resumes), here or as Slurm job arrays",
    "deno task reproduce --profile xquad-r --seeds 1 --mirror ../shared/mirror --offline\n" +
      "  deno task reproduce --profile mmarco --trainer torch --base-model models/mMiniLMv2 " +
      "--device cuda\n" +
      "  deno task reproduce --quick --executor slurm --partition cpu --sbatch-arg=--time=1:00:00 \\\n" +
      "    --cache-dir /shared/csclir --mirror ../shared/mirror --offline --wait",
  )
    .option(
      "--executor <name>",
      "local (default): run here; slurm: submit one job array per wave of independent stages " +
        "(afterok-chained) and a report job, print the job ids and return",
    )
    .option("--partition <name>", "Slurm partition of every job (--executor slurm)")
    .option(
      "--sbatch-arg <arg>",
      "extra sbatch argument for every job, repeatable, e.g. --sbatch-arg=--time=2:00:00",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option("--wait", "with --executor slurm: block until the result version is written")
    .option(
      "--jobs <n>",
      "local executor: run stages in n processes of one thread each, handed out as their " +
        "inputs finish; same bytes for any n (default: cores, at most 4; here " +
        `${defaultJobs()}; 1 runs everything in this process)`,
    )
    .action(printing<[ExecutorCliOptions]>(runReproduceOn));

  runCommand(
    "dev",
    "design choices on the profile's development data (MLQA-R dev for xquad-r): candidate " +
      "depth by the Random expectation, then Zero-shot with the prior and the BM25 feature " +
      "on and off against BM25; writes results/<profile>/dev/v<version>/dev.{md,json}",
    "deno task dev --seeds 2 --mirror ../shared/mirror --offline",
  ).option("--depths <list>", "candidate depths to sweep, comma-separated (default 5,10,15,20,30)")
    .action(printing<[RunCliOptions & { depths?: string }]>(runDevCommand));

  runCommand(
    "plan",
    "print the stage graph of a run (same options as reproduce) and which stages are cached, " +
      "pending or held in memory; computing the keys loads the evaluation sets and lexicons",
    "deno task plan --quick --mirror ../shared/mirror --offline",
  ).action(async (o: RunCliOptions) => {
    Deno.stdout.writeSync(new TextEncoder().encode(await runPlan(o)));
  });

  runCommand(
    "stage",
    "run one stage of a run (same options as reproduce) and the stages it needs, each read " +
      "from the cache when there; ids as printed by `plan`. With --shard, run the i-th of N " +
      "deterministic slices of the graph instead (for a plain Slurm array or a Kubernetes " +
      "Indexed Job; N shards started together finish the run)",
    "deno task stage model/bl-cs/en-de/seed1 --quick --mirror ../shared/mirror --offline\n" +
      "  deno task stage --shard auto/4 --quick --cache-dir /shared/csclir   # JOB_COMPLETION_INDEX",
  ).argument(
    "[id]",
    "stage id, e.g. trainset, codeswitch/ml-cs/seed2, evaluate/zero-shot/clir/en-de/seed1",
  )
    .option(
      "--shard <i/N>",
      "run slice i (0-based) of N; auto/N takes i from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, " +
        "auto takes i and N from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT",
    )
    .option(
      "--serve",
      "run stage ids read from stdin, one per line, answering each with a JSON line on stdout " +
        "(the processes of `reproduce --jobs`)",
    )
    .action(printing<[string | undefined, StageCliOptions]>(runStageOrShard));

  runCommand(
    "status",
    "show every stage of a run (same options as reproduce) as done, running, failed or pending, " +
      "from the cache, the stage locks and squeue/sacct for the latest Slurm run writing the " +
      "same result version; a failed Slurm task is shown with its log",
    "deno task status --quick --mirror ../shared/mirror --offline --cache-dir /shared/csclir",
  ).action(async (o: RunCliOptions) => {
    Deno.stdout.writeSync(new TextEncoder().encode(await runStatus(o)));
  });

  program
    .command("train")
    .description(
      "train a ranker: the built-in KNRM (hashed n-gram embeddings, CPU) or, with --trainer, a " +
        "transformer cross-encoder",
    )
    .requiredOption(
      "--data <file>",
      "training instances, JSON lines {qid, query, pid, passage, label}",
    )
    .requiredOption(
      "--out <dir>",
      "model directory to write (config, weights, model.onnx, provenance)",
    )
    .option("--seed <n>", `seed of initialisation and shuffling (default ${TRAIN_DEFAULTS.seed})`)
    .option("--steps <n>", "optimiser steps (default: --epochs passes over the data)")
    .option(
      "--epochs <x>",
      `passes over the data when --steps is not given (default ${TRAIN_DEFAULTS.epochs})`,
    )
    .option("--batch <n>", `pairs per step (default ${TRAIN_DEFAULTS.batchSize})`)
    .option("--lr <x>", `Adam learning rate (default ${TRAIN_DEFAULTS.lr})`)
    .option(
      "--workers <n>",
      `gradient threads, 1 or 2, same weights either way (default ${TRAIN_DEFAULTS.workers})`,
    )
    .option("--force", "replace an existing --out even when it is not a model directory")
    .option(
      "--trainer <name>",
      "knrm (default), torch (the reference PyTorch trainer) or a trainer command (README)",
    )
    .option("--base-model <dir>", "transformer trainers: base model in Hugging Face layout")
    .option("--python <path>", "interpreter of --trainer torch (env CSCLIR_PYTHON)")
    .option("--device <name>", `transformer trainers: cpu, cuda or cuda:N (default ${CE.device})`)
    .option("--warmup <n>", `transformer trainers: linear warm-up steps (default ${CE.warmup})`)
    .option("--max-length <n>", `transformer trainers: tokens per pair (default ${CE.maxLength})`)
    .option("--trainer-threads <n>", `transformer trainers: CPU threads (default ${CE.threads})`)
    .addHelpText(
      "after",
      "\nKNRM: binary cross-entropy, Adam (lazy on embedding rows). Same data and seed => same\n" +
        "weights and provenance.json bytes; timing.json holds the run-dependent time and speed.\n" +
        "Transformer trainers: --steps, --batch and --lr are theirs (defaults: the paper's\n" +
        `${CE.steps} steps, batch ${CE.batchSize}, lr ${CE.lr}); the model directory is scored by \`score\`.\n` +
        "\nExamples:\n  deno task train --data train.jsonl --out models/zs --seed 1 --steps 3000\n" +
        "  deno task train --data train.jsonl --out models/ce --trainer torch \\\n" +
        "    --base-model models/mMiniLMv2-L6-H384 --device cuda\n",
    )
    .action(printing<[TrainCommandOptions]>(runTrainCommand));

  program
    .command("score")
    .description("score query-candidate pairs with a trained model and write a TREC run")
    .requiredOption(
      "--model <dir>",
      "model directory written by `train`, or a Hugging Face-style cross-encoder directory " +
        "(model.onnx, tokenizer.json, config.json) such as a transformer trainer writes",
    )
    .requiredOption(
      "--candidates <file>",
      "JSON lines {qid, query, docid, doc}, or .tsv(.gz): qid<TAB>docid<TAB>query<TAB>doc",
    )
    .requiredOption("--out <file>", "TREC run to write: qid Q0 docid rank score tag")
    .option("--threads <n>", `ONNX Runtime intra-op threads (default ${SCORE_DEFAULTS.threads})`)
    .option("--batch <n>", `pairs per ONNX Runtime call (default ${SCORE_DEFAULTS.batchSize})`)
    .option(
      "--backend <name>",
      `onnx (onnxruntime-node) or ts (TypeScript forward pass; default ${SCORE_DEFAULTS.backend})`,
    )
    .option("--tag <word>", `run tag, the last column (default ${SCORE_DEFAULTS.tag})`)
    .option("--force", "replace an existing --out even when it is not a TREC run file")
    .addHelpText(
      "after",
      "\nScores are logits with 6 decimals; documents sorted by score, ties by docid descending.\n" +
        "\nExample:\n  deno task score --model models/zs --candidates cands.jsonl --out runs/zs.run --threads 2\n",
    )
    .action(printing<[ScoreCliOptions]>(runScore));

  withDataOptions(program.command("trainset"))
    .description(
      "build the English training set: SQuAD question -> answer sentence, 1 : 4 negatives",
    )
    .argument("<out>", "output JSON lines {qid, query, pid, passage, label}, shuffled")
    .option("--seed <n>", `seed for sampling negatives and shuffling (default ${TS.seed})`)
    .option("--negatives <n>", `negatives per positive (default ${TS.negatives})`)
    .option(
      "--from-paragraph <n>",
      `at most n negatives from the question's own paragraph (default ${TS.fromParagraph})`,
    )
    .option(
      "--pool <n>",
      `BM25 negatives are sampled from the n best BM25 sentences (default ${TS.pool})`,
    )
    .option(
      "--random <n>",
      `negatives drawn uniformly from other paragraphs, easy ones (default ${TS.random})`,
    )
    .option("--max-questions <n>", "use a seeded sample of n questions (quick runs)")
    .option("--force", "replace an existing OUT even when it is not a training-records file")
    .addHelpText(
      "after",
      "\nNegatives: up to --from-paragraph other sentences of the paragraph, --random sentences of\n" +
        "other paragraphs, the rest sampled from the --pool best BM25 sentences of other paragraphs\n" +
        "(never the positive's text, never one holding the answer). Same seed => same bytes.\n" +
        "\nExample:\n  deno run -A main.ts trainset train.en.jsonl --mirror ../shared/mirror --offline\n",
    )
    .action(printing<[string, TrainsetCliOptions]>(runTrainset));

  program
    .command("evaluate")
    .description("evaluate a TREC run against qrels with trec_eval semantics (-c by default)")
    .argument("<qrels>", "TREC qrels: qid 0 docid rel (.gz ok)")
    .argument("<run>", "TREC run: qid Q0 docid rank score tag (.gz ok; rank column ignored)")
    .option(
      "-m, --measure <name>",
      "measure, repeatable: RR@10 (MRR@10), nDCG@10, AP (MAP), R@100, P@10 (default RR@10)",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option("-M, --max-docs <n>", "keep only the top n documents per query (trec_eval -M)")
    .option("-q, --per-query", "print per-query values before the averages (trec_eval -q)")
    .option("--no-complete", "average only over queries in the run (trec_eval without -c)")
    .addHelpText(
      "after",
      "\nRanks by score descending, ties by docid descending; qrels queries missing from the run\n" +
        "score 0, run-only queries are ignored; rel >= 1 is relevant. Output: measure, qid, value.\n" +
        "\nExample:\n  deno task evaluate dev.qrels zs.run -m RR@10 -m nDCG@10 --per-query\n",
    )
    .action(async (qrels: string, run: string, o: EvaluateCliOptions) => {
      Deno.stdout.writeSync(new TextEncoder().encode(await runEvaluate(qrels, run, o)));
    });

  program
    .command("diff")
    .description("compare two result versions cell by cell (exit 1 when they differ)")
    .argument("<old>", "result version directory, e.g. results/xquad-r/v1")
    .argument("<new>", "result version directory, e.g. results/xquad-r/v2")
    .addHelpText(
      "after",
      "\nCSV rows are matched by their id/method/setting/pair/measure columns; other files by bytes.\n" +
        "Exit status: 0 same, 1 different, 2 error.\n" +
        "\nExample:\n  deno task diff results/xquad-r/v1 results/xquad-r/v2\n",
    )
    .action(async (oldDir: string, newDir: string) => {
      const d = await diffVersions(oldDir, newDir);
      Deno.stdout.writeSync(new TextEncoder().encode(formatDiff(d)));
      if (d.differ) Deno.exitCode = 1;
    });

  withDataOptions(program.command("lexicons"))
    .description("build the bilingual lexicons of a profile (MUSE, entity titles) with provenance")
    .option("--profile <name>", "profile whose lexicons are built", DEFAULT_PROFILE)
    .option(
      "--wikititles <lang=file...>",
      "parallel Wikipedia titles read first into the EN->lang title lexicon: linguatools XML " +
        "or OPUS TMX (.xml, .tmx, optionally .gz) or TSV named *.<a>-<b>.tsv[.gz]",
    )
    .addHelpText(
      "after",
      "\nWrites <cache>/stages/lexicons/<key>/{muse,muse-test,titles}/<src>-<tgt>.tsv\n" +
        "(source\\ttarget1\\ttarget2...) with a .json sidecar (inputs and sha256, options, counts),\n" +
        "through the stage cache that reproduce uses: lexicons of the same inputs are reused.\n" +
        "\nExamples:\n  deno task lexicons --profile xquad-r --mirror ../shared/mirror --offline\n" +
        "  deno task lexicons --mirror ../shared/mirror --offline \\\n" +
        "    --wikititles de=wikititles-de-en.xml.gz ru=wikititles-ru-en.xml.gz\n",
    )
    .action(printing<[LexiconsCliOptions]>(runLexicons));

  program
    .command("codeswitch")
    .description("code-switch English training records (BL-CS, ML-CS, Wiki-CS) with lexicons")
    .argument("<in>", "training records, JSON lines {qid, query, pid, passage, label} (.gz ok)")
    .argument("<out>", "output JSON lines (+ queryLangs, passageLangs); stats in <out>.stats.json")
    .requiredOption("--variant <name>", "bl-cs | ml-cs | wiki-cs")
    .option(
      "--query-lang <lang>",
      "query language of bl-cs / bilingual wiki-cs (en = keep English)",
    )
    .option("--doc-lang <lang>", "document language of bl-cs / bilingual wiki-cs")
    .option(
      "--languages <list>",
      "comma-separated languages for ml-cs / multilingual wiki-cs (default: profile's seen, no en)",
    )
    .option("--profile <name>", "profile giving default languages and p", DEFAULT_PROFILE)
    .option("--p <ratio>", "switching probability (default: profile's p; wiki-cs 1.0)")
    .option("--seed <n>", `seed of the per-record random streams (default ${SWITCH_DEFAULTS.seed})`)
    .option("--workers <n>", "worker threads, 0 = in process (default: number of cores)")
    .option(
      "--lexicon-dir <dir>",
      "directory with en-<lang>.tsv (or en-<lang>.{query,passage}.tsv)",
    )
    .option(
      "--lexicon <lang=path>",
      "English-to-lang lexicon TSV (source\\ttarget1\\ttarget2...), repeatable",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      "--passage-lexicon <lang=path>",
      "passage-side lexicon overriding --lexicon, repeatable",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--force", "replace an existing OUT even when it is not a training-records file")
    .addHelpText(
      "after",
      "\nLEX is the directory `deno task lexicons` prints.\nExamples:\n" +
        "  deno task codeswitch --variant bl-cs --query-lang de --doc-lang ru --p 0.5 \\\n" +
        "    --lexicon-dir LEX/muse train.jsonl train.bl-cs.de-ru.jsonl\n" +
        "  deno task codeswitch --variant ml-cs --lexicon de=en-de.tsv --lexicon ru=en-ru.tsv \\\n" +
        "    --languages de,ru train.jsonl train.ml-cs.jsonl\n" +
        "  deno task codeswitch --variant wiki-cs --lexicon-dir LEX/titles \\\n" +
        "    train.jsonl train.wiki-cs.jsonl\n",
    )
    .action(async (input: string, output: string, o: CodeSwitchCliOptions) => {
      const s = await runCodeSwitch(input, output, o);
      console.log(
        `${s.variant}: ${s.records} records -> ${output} (switch rate ${
          (100 * s.switchRate).toFixed(1)
        }% of content words, out-of-lexicon ${(100 * s.outOfLexiconRate).toFixed(1)}%)`,
      );
    });

  withDataOptions(program.command("fetch"))
    .description("download datasets into the cache (sha256-verified) and summarize them")
    .argument("[ids...]", "dataset ids or prefixes, e.g. xquad-r (default: the profile's)")
    .option(
      "--profile <name>",
      "profile whose datasets are fetched when no ids are given",
      DEFAULT_PROFILE,
    )
    .option("--verify", "re-hash cached files first; bad ones are removed and fetched again")
    .option("--list", "list the catalogue and exit")
    .addHelpText(
      "after",
      "\nExamples:\n  deno task fetch xquad-r mlqa-r squad/v1.1/train --mirror ../shared/mirror\n" +
        "  deno task fetch --verify --offline xquad-r\n  deno task fetch --list\n",
    )
    .action(async (ids: string[], o: FetchCliOptions) => {
      if (o.list) return console.log(formatCatalogue());
      const profile = getProfile(o.profile);
      const patterns = ids.length > 0 ? ids : [profile.datasets.train, ...profile.datasets.eval];
      console.log(
        await fetchAndSummarize(patterns, {
          mirror: o.mirror,
          offline: o.offline,
          cacheDir: o.cacheDir,
          verify: o.verify,
        }),
      );
    });

  return program;
}

/** Runs the CLI: user errors print one line and exit 2; bugs keep their stack. */
export async function main(args: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(args, { from: "user" });
    return Deno.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UserError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    // A file-system error no stage attached a path to: still the user's to fix.
    if (isFileSystemError(e)) {
      console.error(`error: ${(e as Error).message.split("\n")[0]}`);
      return 2;
    }
    throw e;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
