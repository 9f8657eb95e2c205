/**
 * Writes ONNX models (the protobuf `ModelProto`) from code: a graph of nodes over named tensors, with
 * float32 weights as initializers. Enough of the format to run a bundled network on onnxruntime; field
 * numbers are those of onnx.proto.
 */

export interface OnnxNode {
  op: string;
  /** operator set of the op: the standard one (default) or e.g. `com.microsoft` (onnxruntime's own ops) */
  domain?: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, number | number[] | string>;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** float32 values, int8 values, or int64 values given as numbers */
  data: Float32Array | Int8Array | { int64: number[] };
}

export interface OnnxValue {
  name: string;
  type: 'float32' | 'int64';
  /** a number is a fixed size, a string names a size that varies (batch, sequence) */
  dims: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  opset?: number;
}

const ELEMENT = { float32: 1, int8: 3, int64: 7 } as const;

export function onnxModel(graph: OnnxGraph): Uint8Array {
  const body = concat([
    ...graph.nodes.map((n, i) => message(1, node(n, i))),
    string(2, graph.name),
    ...graph.initializers.map((t) => message(5, tensor(t))),
    ...graph.inputs.map((v) => message(11, valueInfo(v))),
    ...graph.outputs.map((v) => message(12, valueInfo(v))),
  ]);
  const domains = [...new Set(graph.nodes.map((n) => n.domain).filter((d): d is string => !!d))];
  return concat([
    int(1, 8),
    string(2, 'kefu'),
    message(7, body),
    message(8, concat([string(1, ''), int(2, graph.opset ?? 17)])),
    ...domains.map((d) => message(8, concat([string(1, d), int(2, 1)]))),
  ]);
}

function node(n: OnnxNode, index: number): Uint8Array {
  return concat([
    ...n.inputs.map((s) => string(1, s)),
    ...n.outputs.map((s) => string(2, s)),
    string(3, `${n.op}_${index}`),
    string(4, n.op),
    ...(n.domain ? [string(7, n.domain)] : []),
    ...Object.entries(n.attributes ?? {}).map(([name, value]) => message(5, attribute(name, value))),
  ]);
}

function attribute(name: string, value: number | number[] | string): Uint8Array {
  if (typeof value === 'string') return concat([string(1, name), bytes(4, Buffer.from(value, 'utf8')), int(20, 3)]);
  if (Array.isArray(value)) return concat([string(1, name), ...value.map((v) => int(8, v)), int(20, 7)]);
  if (Number.isInteger(value)) return concat([string(1, name), int(3, value), int(20, 2)]);
  const f = Buffer.alloc(4);
  f.writeFloatLE(value);
  return concat([string(1, name), key(2, 5), f, int(20, 1)]);
}

function tensor(t: OnnxTensor): Uint8Array {
  const d = t.data;
  const [type, raw] =
    d instanceof Float32Array || d instanceof Int8Array
      ? [d instanceof Float32Array ? ELEMENT.float32 : ELEMENT.int8, new Uint8Array(d.buffer, d.byteOffset, d.byteLength)]
      : [ELEMENT.int64, new Uint8Array(BigInt64Array.from(d.int64.map(BigInt)).buffer)];
  return concat([...t.dims.map((n) => int(1, n)), int(2, type), string(8, t.name), bytes(9, raw)]);
}

function valueInfo(v: OnnxValue): Uint8Array {
  const dims = v.dims.map((d) => message(1, typeof d === 'number' ? int(1, d) : string(2, d)));
  const tensorType = concat([int(1, ELEMENT[v.type]), message(2, concat(dims))]);
  return concat([string(1, v.name), message(2, message(1, tensorType))]);
}

// --- protobuf wire format ---

function varint(n: number): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Uint8Array.from(out);
}

const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, v: number) => concat([key(field, 0), varint(v)]);
const bytes = (field: number, b: Uint8Array) => concat([key(field, 2), varint(b.length), b]);
const string = (field: number, s: string) => bytes(field, Buffer.from(s, 'utf8'));
const message = bytes;

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
