/**
 * Opening ONNX Runtime sessions with the project's error path: a missing,
 * unreadable or corrupt `.onnx` file is a one-line `PathError` naming it.
 *
 * @module
 */

import * as ort from "onnxruntime-node";
import { PathError, toPathError } from "../util/mod.ts";

/**
 * Creates an inference session for the model file at `path`.
 *
 * @example
 * ```ts
 * const session = await openOnnxSession("models/zs/model.onnx", { intraOpNumThreads: 2 });
 * ```
 */
export async function openOnnxSession(
  path: string,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  try {
    await Deno.stat(path);
    return await ort.InferenceSession.create(path, options);
  } catch (e) {
    const converted = toPathError(e, path);
    if (converted !== e) throw converted;
    // ONNX Runtime reports a bad file as a plain Error ("... Protobuf parsing failed.").
    const why = (e as Error).message.split("\n")[0];
    throw new PathError(path, `not a valid ONNX model (${why}); retrain or re-export it`);
  }
}
