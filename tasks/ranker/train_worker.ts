/**
 * Worker thread of `train.ts`: runs its share of each training step's phases
 * (see `train_step.ts`) on the shared buffers and answers each request.
 *
 * @module
 */

import { RowGrads } from "./adam.ts";
import type { RankerConfig } from "./config.ts";
import type { Batch } from "./words.ts";
import * as step from "./train_step.ts";

let config: RankerConfig;
let buffers: step.StepBuffers;
let batch: Batch;
let labels: Float64Array;
let acc: RowGrads;

// deno-lint-ignore no-explicit-any
const scope = self as any;
scope.onmessage = (ev: MessageEvent<step.StepRequest>) => {
  const r = ev.data;
  switch (r.kind) {
    case "init":
      ({ config, buffers } = r);
      acc = new RowGrads(config.buckets, config.dim);
      scope.postMessage(null);
      break;
    case "vectors":
      ({ batch, labels } = r);
      step.vectorsPhase(config, buffers, batch, r.from, r.to);
      scope.postMessage(null);
      break;
    case "pairs": {
      const g = step.pairsPhase(config, buffers, batch, labels, r.from, r.to, r.scale);
      scope.postMessage(g, [
        g.dUnit.buffer,
        g.dGate.buffer,
        g.dOutW.buffer,
        g.dOutB.buffer,
        g.dBm25W.buffer,
      ]);
      break;
    }
    case "rows":
      step.rowsPhase(config, buffers, acc, batch, r.lo, r.hi, r.step);
      scope.postMessage(null);
      break;
  }
};
