/**
 * The bottom layer: utilities every stage shares, importing nothing above
 * this folder. Errors, atomic writes, the stage cache, progress, seeded
 * randomness, hashing, the one string comparator, number options, the line
 * reader, the record types and the one training-record reader/writer, the
 * tokenizer and the ONNX graph encoder.
 *
 * @example
 * ```ts
 * import { keyHash, parseIntOption, UserError } from "./mod.ts";
 * const seeds = parseIntOption("--seeds", "3", { min: 1 });
 * if (seeds !== undefined && seeds > 100) throw new UserError("too many seeds");
 * keyHash({ seeds });
 * ```
 *
 * @module
 */

export { openAtomic, writeDirAtomic, writeFileAtomic } from "./atomic.ts";
export { type CommandResult, runCommand } from "./command.ts";
export { checkNumberOption, parseIntOption, parseNumberOption, type Range } from "./cli.ts";
export { compareStrings } from "./compare.ts";
export { InputError, OptionError, PathError, UserError } from "./errors.ts";
export { isFileSystemError, onPath, toPathError } from "./fs_errors.ts";
export { canonicalJson, fnv1a, FNV_OFFSET, keyHash, sha256File, sha256Hex } from "./hash.ts";
export {
  fileExists,
  type Line,
  openBytes,
  parseJsonObject,
  readLines,
  readTextInput,
} from "./lines.ts";
export {
  DataType,
  encodeModel,
  type GraphSpec,
  type Initializer,
  type NodeSpec,
} from "./onnx_graph.ts";
export {
  firstLineIs,
  guardExisting,
  type GuardOptions,
  type NamedInput,
  refuseInputAsOutput,
  sameFile,
} from "./output_guard.ts";
export { Progress } from "./progress.ts";
export {
  type Document,
  type Lang,
  type Qrel,
  type Query,
  type SwitchedInstance,
  type TrainingInstance,
  TREC_WORD,
} from "./records.ts";
export { LruMap } from "./lru.ts";
export { Rng } from "./rng.ts";
export {
  buildStage,
  cachedStage,
  type CacheOptions,
  readCachedStage,
  recordOutputs,
  stageDir,
  type StageOutputs,
  type StageResult,
} from "./stage_cache.ts";
export {
  acquireLock,
  JOB_CHECK_MS,
  type Lock,
  LOCK_STALE_MS,
  type Owner,
  ownerAlive,
  slurmJobActive,
  tempName,
  tempOwner,
  thisJob,
  thisOwner,
  withLock,
} from "./lock.ts";
export { terms, type Token, tokenize } from "./tokenize.ts";
export {
  asInstance,
  formatInstance,
  isTrainingRecordsFile,
  parseInstance,
  readTrainingInstances,
  writeTrainingInstances,
} from "./training_records.ts";
