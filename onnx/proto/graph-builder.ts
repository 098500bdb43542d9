// A small typed builder for one ONNX graph: unique value names, initializers, nodes and symbolic-dim value infos, encoded to ModelProto bytes.
import { ValidationError } from '../../src/errors';
import { toAttributeProtos, type Attrs } from './attributes';
import { onnx, DataType, type DataTypeCode, type OnnxTypes } from './onnx-namespace';
import { floatTensor, int64Tensor, valueInfo, type Dim } from './tensors';

export interface ModelMeta {
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  /** Default-domain opset; 17 is the first with LayerNormalization and is what onnxruntime 1.30 and onnx 1.12 both know. */
  opset?: number;
  /** 8 pairs with opset 17 (ONNX 1.12); newer IRs are refused by older checkers. */
  irVersion?: number;
  /** Key/value strings stored in metadata_props (model provenance). */
  metadata?: Record<string, string>;
}

export interface NodeOptions {
  attrs?: Attrs;
  /** How many outputs (fresh names) or their exact names; one fresh output by default. */
  outputs?: number | readonly string[];
  /** Hint for the node name and its fresh output names. */
  name?: string;
}

export class GraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly values = new Set<string>();
  private readonly nodeNames = new Set<string>();

  constructor(readonly graphName = 'main') {}

  /** A name not used yet, so that callers can pick readable hints without tracking collisions. */
  fresh(hint: string, used: Set<string> = this.values): string {
    let name = hint;
    for (let n = 1; used.has(name); n++) name = `${hint}_${n}`;
    used.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.values.has(name)) throw new ValidationError(`ONNX value "${name}" is defined twice`, { field: name });
    this.values.add(name);
    return name;
  }

  input(name: string, elemType: DataTypeCode, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), elemType, dims));
    return name;
  }

  /** Declares an existing value as a graph output; an Identity renames it when the wanted name differs. */
  output(value: string, elemType: DataTypeCode, dims: readonly Dim[], name = value): string {
    if (!this.values.has(value))
      throw new ValidationError(`ONNX output refers to unknown value "${value}"`, { field: value });
    const out = name === value ? value : this.node('Identity', [value], { outputs: [name] })[0];
    this.outputs.push(valueInfo(out, elemType, dims));
    return out;
  }

  initializer(hint: string, data: Float32Array, dims: readonly number[]): string {
    const name = this.fresh(hint);
    this.initializers.push(floatTensor(name, data, dims));
    return name;
  }

  constFloat(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(hint, Float32Array.from(values), dims);
  }

  constInt64(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.fresh(hint);
    this.initializers.push(int64Tensor(name, values, dims));
    return name;
  }

  /** Adds a node and returns its output names. An input of '' marks an omitted optional input, as ONNX does. */
  node(opType: string, inputs: readonly string[], opts: NodeOptions = {}): string[] {
    for (const i of inputs) {
      if (i !== '' && !this.values.has(i)) {
        throw new ValidationError(`${opType} node reads unknown value "${i}"`, { field: i });
      }
    }
    const hint = opts.name ?? opType;
    const spec = opts.outputs ?? 1;
    const outputs =
      typeof spec === 'number'
        ? Array.from({ length: spec }, (_, k) => this.fresh(spec === 1 ? hint : `${hint}_out${k}`))
        : spec.map((o) => this.claim(o));
    this.nodes.push({
      name: this.fresh(hint, this.nodeNames),
      opType,
      domain: '',
      input: [...inputs],
      output: outputs,
      attribute: toAttributeProtos(opts.attrs),
    });
    return outputs;
  }

  /** The single-output form of `node`, which is almost every op. */
  op(opType: string, inputs: readonly string[], attrs?: Attrs, name?: string): string {
    return this.node(opType, inputs, { attrs, name })[0];
  }

  toModelProto(meta: ModelMeta = {}): OnnxTypes.ModelProto {
    if (this.outputs.length === 0) throw new ValidationError('ONNX graph has no outputs');
    return onnx.ModelProto.create({
      irVersion: meta.irVersion ?? 8,
      opsetImport: [{ domain: '', version: meta.opset ?? 17 }],
      producerName: meta.producerName ?? 'churnscope',
      producerVersion: meta.producerVersion ?? '',
      docString: meta.docString ?? '',
      metadataProps: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
  }

  encode(meta: ModelMeta = {}): Uint8Array {
    return onnx.ModelProto.encode(this.toModelProto(meta)).finish();
  }
}

export { DataType };
