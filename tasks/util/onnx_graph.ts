/**
 * A small builder for ONNX models on top of `onnx-proto`, so that models can
 * be exported from TypeScript (our ranker) or made up for tests (tiny
 * BERT-shaped encoders) without Python.
 *
 * @module
 */

import onnxProto from "onnx-proto";
import { compareStrings } from "./compare.ts";

const { onnx } = onnxProto;

/**
 * ONNX tensor element types used here (values of `TensorProto.DataType`).
 *
 * @example
 * ```ts
 * const input: ValueInfo = { name: "ids", type: DataType.INT32, shape: ["n"] };
 * ```
 */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;

/** A graph input or output: name, element type and shape (a string is a symbolic dimension). */
export interface ValueInfo {
  /** Tensor name. */
  name: string;
  /** Element type, a {@linkcode DataType} value. */
  type: number;
  /** Dimensions; strings are symbolic (e.g. `"batch"`). */
  shape: (number | string)[];
}

/** A node attribute value. */
export type AttributeValue = number | number[] | string | { float: number } | {
  floats: number[];
};

/**
 * One operator node.
 *
 * @example
 * ```ts
 * declare const nodeSpec: NodeSpec;
 * nodeSpec.op;
 * ```
 */
export interface NodeSpec {
  /** Operator type, e.g. `MatMul`. */
  op: string;
  /** Input tensor names. */
  inputs: string[];
  /** Output tensor names. */
  outputs: string[];
  /** Attributes; integers and integer lists by default, see {@linkcode AttributeValue}. */
  attrs?: Record<string, AttributeValue>;
  /** Node name (defaults to the first output). */
  name?: string;
  /** Operator domain (default ONNX). */
  domain?: string;
}

/**
 * An initializer (constant tensor).
 *
 * @example
 * ```ts
 * declare const initializer: Initializer;
 * initializer.name;
 * ```
 */
export interface Initializer {
  /** Tensor name. */
  name: string;
  /** Dimensions. */
  dims: number[];
  /** Data: float32, int32 or int64 (BigInt64Array). */
  data: Float32Array | Int32Array | BigInt64Array;
}

/**
 * A whole model.
 *
 * @example
 * ```ts
 * declare const graphSpec: GraphSpec;
 * graphSpec.name;
 * ```
 */
export interface GraphSpec {
  /** Graph name. */
  name: string;
  /** Nodes in topological order. */
  nodes: NodeSpec[];
  /** Graph inputs. */
  inputs: ValueInfo[];
  /** Graph outputs. */
  outputs: ValueInfo[];
  /** Constant tensors. */
  initializers: Initializer[];
  /** Opset version (default 17). */
  opset?: number;
  /** Key-value metadata stored in the model (e.g. provenance). */
  metadata?: Record<string, string>;
}

function valueInfo(v: ValueInfo) {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.type,
        shape: {
          dim: v.shape.map((d) => typeof d === "string" ? { dimParam: d } : { dimValue: d }),
        },
      },
    },
  };
}

function attribute(name: string, v: AttributeValue) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === "number") return { name, type: T.INT, i: v };
  if (typeof v === "string") return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ("float" in v) return { name, type: T.FLOAT, f: v.float };
  return { name, type: T.FLOATS, floats: v.floats };
}

function tensor(init: Initializer) {
  const type = init.data instanceof Float32Array
    ? DataType.FLOAT
    : init.data instanceof Int32Array
    ? DataType.INT32
    : DataType.INT64;
  // rawData is little-endian, which matches typed arrays on every platform we run on.
  const raw = new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength);
  return { name: init.name, dims: init.dims, dataType: type, rawData: raw.slice() };
}

/**
 * Serialises a graph to ONNX model bytes, ready for `InferenceSession.create`.
 *
 * @example
 * ```ts
 * const bytes = encodeModel({
 *   name: "linear",
 *   nodes: [{ op: "MatMul", inputs: ["x", "W"], outputs: ["y"] }],
 *   inputs: [{ name: "x", type: DataType.FLOAT, shape: ["n", 3] }],
 *   outputs: [{ name: "y", type: DataType.FLOAT, shape: ["n", 2] }],
 *   initializers: [{ name: "W", dims: [3, 2], data: new Float32Array(6) }],
 * });
 * ```
 */
export function encodeModel(spec: GraphSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "csclir-bench",
    opsetImport: [{ domain: "", version: spec.opset ?? 17 }],
    metadataProps: Object.entries(spec.metadata ?? {}).sort(([a], [b]) => compareStrings(a, b))
      .map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.name,
      node: spec.nodes.map((n) => ({
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        name: n.name ?? n.outputs[0],
        domain: n.domain ?? "",
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: spec.initializers.map(tensor),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
