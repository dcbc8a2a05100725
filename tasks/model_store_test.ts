import assert from "node:assert/strict";
import { InputError } from "./errors.ts";
import { loadModel, MODEL_FORMAT, saveModel } from "./model_store.ts";
import { DEFAULT_CONFIG, initParams, type RankerConfig } from "./ranker.ts";

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

Deno.test("saveModel/loadModel round trip, atomic replacement", async () => {
  const dir = await Deno.makeTempDir();
  try {
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
    assert.equal(loaded.onnxPath, saved.onnxPath);
    const names = [];
    for await (const e of Deno.readDir(`${dir}/m`)) names.push(e.name);
    assert.deepEqual(names.sort(), [
      "config.json",
      "model.onnx",
      "provenance.json",
      "timing.json",
      "weights.f32",
    ]);
    const bytes = await Deno.readFile(`${dir}/m/weights.f32`);
    assert.equal(bytes.byteLength, params.length * 4);
    // Same content => same bytes (except timing); replacing leaves no temp dirs.
    const onnx = await Deno.readFile(saved.onnxPath);
    const params2 = initParams(CFG, 3);
    await saveModel(`${dir}/m`, CFG, params2, PROV);
    assert.deepEqual((await loadModel(`${dir}/m`)).params, params2);
    assert.notDeepEqual(await Deno.readFile(saved.onnxPath), onnx);
    await saveModel(`${dir}/m`, CFG, params, PROV);
    assert.deepEqual(await Deno.readFile(saved.onnxPath), onnx);
    const left = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assert.deepEqual(left, ["m"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a format 1 directory (no format field) loads with the BM25 feature off", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const off = { ...CFG, bm25: false };
    const params = initParams(off, 4);
    await saveModel(`${dir}/m`, off, params, PROV);
    const { format, bm25: _bm25, ...v1 } = JSON.parse(
      await Deno.readTextFile(`${dir}/m/config.json`),
    );
    assert.equal(format, MODEL_FORMAT);
    await Deno.writeTextFile(`${dir}/m/config.json`, JSON.stringify(v1));
    const loaded = await loadModel(`${dir}/m`);
    assert.deepEqual(loaded.config, off);
    assert.deepEqual(loaded.params, params);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadModel names the bad file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      loadModel(`${dir}/none`),
      (e) => e instanceof InputError && /config\.json/.test(e.message),
    );
    await saveModel(`${dir}/m`, CFG, initParams(CFG, 1), PROV);
    await Deno.writeFile(`${dir}/m/weights.f32`, new Uint8Array(12));
    await assert.rejects(
      loadModel(`${dir}/m`),
      (e) => e instanceof InputError && /weights\.f32/.test(e.message),
    );
    await Deno.writeTextFile(`${dir}/m/config.json`, JSON.stringify({ ...CFG, dim: -1 }));
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
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
