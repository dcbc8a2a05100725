import assert from "node:assert/strict";
import { InputError } from "../util/mod.ts";
import { loadModel, MODEL_FORMAT, saveModel } from "./model_store.ts";
import { DEFAULT_CONFIG, initParams, type RankerConfig } from "./config.ts";
import { withTempDir } from "../fixtures/temp_dir.ts";

const CFG: RankerConfig = { ...DEFAULT_CONFIG, dim: 4, buckets: 64 };
const PROV = {
  dataSha256: "ab".repeat(32),
  instances: 10,
  seed: 2,
  steps: 5,
  batchSize: 4,
  lr: 0.01,
  lossCurve: [0.7, 0.5],
};

Deno.test("saveModel/loadModel round trip, atomic replacement", () =>
  withTempDir(async (dir) => {
    const params = initParams(CFG, 2);
    const timing = {
      created: "2024-01-01T00:00:00.000Z",
      loadSeconds: 1,
      seconds: 1,
      pairsPerSecond: 20,
      workers: 1,
    };
    const saved = await saveModel(`${dir}/m`, CFG, params, PROV, timing);
    const loaded = await loadModel(`${dir}/m`);
    assert.deepEqual(loaded.config, CFG);
    assert.deepEqual(loaded.params, params);
    assert.deepEqual(loaded.provenance, PROV);
    assert.deepEqual(loaded.onnx, saved.onnx);
    const names = [];
    for await (const e of Deno.readDir(`${dir}/m`)) names.push(e.name);
    assert.deepEqual(names.sort(), [
      "config.json",
      "model.onnx",
      "provenance.json",
      "timing.json",
      "weights.f32",
      "words.onnx",
    ]);
    const bytes = await Deno.readFile(`${dir}/m/weights.f32`);
    assert.equal(bytes.byteLength, params.length * 4);
    // Same content => same bytes (except timing); replacing leaves no temp dirs.
    const onnx = await Deno.readFile(saved.onnx.words);
    const params2 = initParams(CFG, 3);
    await saveModel(`${dir}/m`, CFG, params2, PROV);
    assert.deepEqual((await loadModel(`${dir}/m`)).params, params2);
    assert.notDeepEqual(await Deno.readFile(saved.onnx.words), onnx);
    await saveModel(`${dir}/m`, CFG, params, PROV);
    assert.deepEqual(await Deno.readFile(saved.onnx.words), onnx);
    const left = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assert.deepEqual(left, ["m"]);
  }));

Deno.test("an older model directory is rejected with a message to retrain", () =>
  withTempDir(async (dir) => {
    await saveModel(`${dir}/m`, CFG, initParams(CFG, 4), PROV);
    const { format, ...rest } = JSON.parse(await Deno.readTextFile(`${dir}/m/config.json`));
    assert.equal(format, MODEL_FORMAT);
    for (const old of [{ ...rest, format: 2 }, rest]) {
      await Deno.writeTextFile(`${dir}/m/config.json`, JSON.stringify(old));
      await assert.rejects(
        loadModel(`${dir}/m`),
        (e) => e instanceof InputError && /config\.json.*format 3.*retrain/.test(e.message),
      );
    }
  }));

Deno.test("loadModel names the bad file", () =>
  withTempDir(async (dir) => {
    await assert.rejects(
      loadModel(`${dir}/none`),
      (e) => e instanceof InputError && /config\.json/.test(e.message),
    );
    await saveModel(`${dir}/m`, CFG, initParams(CFG, 1), PROV);
    await Deno.remove(`${dir}/m/words.onnx`);
    await assert.rejects(
      loadModel(`${dir}/m`),
      (e) => e instanceof InputError && /words\.onnx/.test(e.message),
    );
    await Deno.writeFile(`${dir}/m/weights.f32`, new Uint8Array(12));
    await assert.rejects(
      loadModel(`${dir}/m`),
      (e) => e instanceof InputError && /weights\.f32/.test(e.message),
    );
    await Deno.writeTextFile(
      `${dir}/m/config.json`,
      JSON.stringify({ ...CFG, dim: -1, format: MODEL_FORMAT }),
    );
    await assert.rejects(
      loadModel(`${dir}/m`),
      (e) => e instanceof InputError && /dim/.test(e.message),
    );
    await Deno.writeTextFile(
      `${dir}/m/config.json`,
      JSON.stringify({ ...CFG, format: MODEL_FORMAT + 1 }),
    );
    await assert.rejects(
      loadModel(`${dir}/m`),
      (e) => e instanceof InputError && /config\.json.*format/.test(e.message),
    );
    await assert.rejects(saveModel(`${dir}/x`, CFG, new Float32Array(3), PROV), RangeError);
  }));
