import assert from "node:assert/strict";
import * as ort from "onnxruntime-node";
import { DataType, encodeModel } from "./onnx_graph.ts";

Deno.test("encodeModel builds a graph that ONNX Runtime runs", async () => {
  const bytes = encodeModel({
    name: "affine",
    nodes: [
      { op: "MatMul", inputs: ["x", "W"], outputs: ["xw"] },
      { op: "Add", inputs: ["xw", "b"], outputs: ["y"] },
      { op: "ReduceSum", inputs: ["y", "axes"], outputs: ["s"], attrs: { keepdims: 0 } },
    ],
    inputs: [{ name: "x", type: DataType.FLOAT, shape: ["n", 3] }],
    outputs: [
      { name: "y", type: DataType.FLOAT, shape: ["n", 2] },
      { name: "s", type: DataType.FLOAT, shape: ["n"] },
    ],
    initializers: [
      { name: "W", dims: [3, 2], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
      { name: "b", dims: [2], data: new Float32Array([0.5, -0.5]) },
      { name: "axes", dims: [1], data: new BigInt64Array([1n]) },
    ],
    metadata: { seed: "1" },
  });
  const session = await ort.InferenceSession.create(bytes);
  const x = new ort.Tensor("float32", new Float32Array([1, 0, 0, 0, 1, 1]), [2, 3]);
  const out = await session.run({ x });
  assert.deepEqual(Array.from(out.y.data as Float32Array), [1.5, 1.5, 8.5, 9.5]);
  assert.deepEqual(Array.from(out.s.data as Float32Array), [3, 18]);
});
