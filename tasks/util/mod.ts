/**
 * TODO
 *
 * @module
 */

export { openAtomic, writeFileAtomic } from "./atomic.ts";
export { InputError, OptionError, UserError } from "./errors.ts";
export { fileExists, openBytes, parseJsonObject, readLines, readTextInput } from "./lines.ts";
export {
  DataType,
  encodeModel,
  type GraphSpec,
  type Initializer,
  type NodeSpec,
} from "./onnx_graph.ts";
export { Progress } from "./progress.ts";
export {
  type Document,
  type Lang,
  type Qrel,
  type Query,
  type SwitchedInstance,
  type TrainingInstance,
} from "./records.ts";
export { Rng } from "./rng.ts";
export { terms, type Token, tokenize } from "./tokenize.ts";
