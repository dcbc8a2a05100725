/**
 * Web Worker for {@linkcode codeSwitchFile}: receives the switching
 * configuration (lexicons included) once, then batches of JSON lines, and
 * answers each batch with its output text and counters.
 *
 * @module
 */

import type { WorkerReply, WorkerRequest } from "./file.ts";
import type { SwitchConfig } from "./options.ts";
import { emptyCounters } from "./stats.ts";
import { switchBatch } from "./switch.ts";
import { InputError } from "../util/mod.ts";

let config: SwitchConfig | undefined;
// The worker's global scope; Deno type-checks modules against the window scope.
const scope = self as unknown as {
  onmessage: (e: MessageEvent<WorkerRequest>) => void;
  postMessage(m: WorkerReply): void;
};

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const m = e.data;
  if (m.type === "init") {
    config = m.config;
    return;
  }
  let reply: WorkerReply;
  try {
    if (!config) throw new Error("code-switching worker got a batch before its configuration");
    const counters = emptyCounters();
    const output = switchBatch(config, m.batch, counters);
    reply = { type: "done", id: m.id, output, counters };
  } catch (err) {
    reply = err instanceof InputError
      ? {
        type: "error",
        id: m.id,
        file: err.file,
        line: err.line,
        // The message without the "file:line: " prefix that InputError adds back.
        message: err.message.slice(
          `${err.file}${err.line === undefined ? "" : `:${err.line}`}: `.length,
        ),
        input: true,
      }
      : { type: "error", id: m.id, message: String((err as Error)?.stack ?? err), input: false };
  }
  scope.postMessage(reply);
};
