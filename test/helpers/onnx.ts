/**
 * A minimal ONNX writer for tests: ModelProto, GraphProto, NodeProto, TensorProto and ValueInfoProto encoded
 * as protobuf by hand (field numbers from onnx.proto), enough for onnxruntime to load small graphs whose
 * weights a test chooses.
 */

/** ONNX element types used here. */
export const FLOAT = 1;
export const INT64 = 7;

export interface OnnxTensor {
  name: string;
  dims: number[];
  type: typeof FLOAT | typeof INT64;
  values: number[];
}
export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, number | number[]>;
}
export interface OnnxValue {
  name: string;
  type: typeof FLOAT | typeof INT64;
  /** A number is a fixed size, a string a named free one ("batch"). */
  shape: (number | string)[];
}
export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  opset?: number;
}

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}

/** Protobuf fields: varints (wire type 0) and length-delimited bytes (wire type 2). */
class Message {
  private bytes: number[] = [];
  int(field: number, n: number | bigint) {
    this.bytes.push(...varint((field << 3) | 0), ...varint(n));
    return this;
  }
  raw(field: number, data: Uint8Array | number[]) {
    this.bytes.push(...varint((field << 3) | 2), ...varint(data.length), ...data);
    return this;
  }
  str(field: number, s: string) {
    return this.raw(field, [...Buffer.from(s, 'utf8')]);
  }
  msg(field: number, m: Message) {
    return this.raw(field, m.bytes);
  }
  encode(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function tensor(t: OnnxTensor): Message {
  const m = new Message();
  for (const d of t.dims) m.int(1, d);
  m.int(2, t.type);
  m.str(8, t.name);
  const data = t.type === FLOAT ? Buffer.from(Float32Array.from(t.values).buffer) : Buffer.from(BigInt64Array.from(t.values.map(BigInt)).buffer);
  return m.raw(9, [...data]);
}

function valueInfo(v: OnnxValue): Message {
  const shape = new Message();
  for (const d of v.shape) shape.msg(1, typeof d === 'number' ? new Message().int(1, d) : new Message().str(2, d));
  const tensorType = new Message().int(1, v.type).msg(2, shape);
  return new Message().str(1, v.name).msg(2, new Message().msg(1, tensorType));
}

function node(n: OnnxNode, i: number): Message {
  const m = new Message();
  for (const x of n.inputs) m.str(1, x);
  for (const x of n.outputs) m.str(2, x);
  m.str(3, `${n.op}_${i}`).str(4, n.op);
  for (const [name, value] of Object.entries(n.attributes ?? {})) {
    const a = new Message().str(1, name);
    if (Array.isArray(value)) {
      for (const x of value) a.int(8, x);
      a.int(20, 7); // INTS
    } else a.int(3, value).int(20, 2); // INT
    m.msg(5, a);
  }
  return m;
}

/** The ONNX file's bytes (IR version 8, the default opset 13). */
export function onnxModel(g: OnnxGraph): Uint8Array {
  const graph = new Message();
  g.nodes.forEach((n, i) => graph.msg(1, node(n, i)));
  graph.str(2, g.name);
  for (const t of g.initializers) graph.msg(5, tensor(t));
  for (const v of g.inputs) graph.msg(11, valueInfo(v));
  for (const v of g.outputs) graph.msg(12, valueInfo(v));
  return new Message()
    .int(1, 8)
    .str(2, 'kefu-tests')
    .msg(7, graph)
    .msg(8, new Message().str(1, '').int(2, g.opset ?? 13))
    .encode();
}
