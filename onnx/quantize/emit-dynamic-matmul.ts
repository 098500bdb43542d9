// One weight product as DynamicQuantizeLinear → MatMulInteger → Cast → Mul(·, Mul(x_scale, w_scale)) [→ Add bias].
import { attr, toAttributeProtos } from '../proto/attributes';
import { byteTensor, DataType, floatTensor, type OnnxTypes } from '../proto';
import { quantizeColumns } from './per-column-int8';
import type { WeightProduct } from './weight-products';

/** Int8 initializers of one weight, shared by every product that reads it. */
interface Int8Weight {
  q: string;
  scale: string;
  zeroPoint: string;
}

export class DynamicMatMulEmitter {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly weights = new Map<string, Int8Weight>();

  /** `used` holds every value and node name of the graph, so emitted names never collide with existing ones. */
  constructor(private readonly used: Set<string>) {}

  private fresh(hint: string): string {
    let name = hint;
    for (let n = 1; this.used.has(name); n++) name = `${hint}_${n}`;
    this.used.add(name);
    return name;
  }

  private node(
    opType: string,
    input: string[],
    output: string[],
    name: string,
    attrs?: Parameters<typeof toAttributeProtos>[0],
  ) {
    this.nodes.push({ name: this.fresh(name), opType, domain: '', input, output, attribute: toAttributeProtos(attrs) });
  }

  private int8Weight(p: WeightProduct, base: string): Int8Weight {
    const known = this.weights.get(p.weightKey);
    if (known) return known;
    const { data, scales } = quantizeColumns(p.weight, p.rows, p.cols, p.gain);
    const w: Int8Weight = {
      q: this.fresh(`${base}.weight_quantized`),
      scale: this.fresh(`${base}.weight_scale`),
      zeroPoint: this.fresh(`${base}.weight_zero_point`),
    };
    this.initializers.push(
      byteTensor(w.q, DataType.INT8, data, [p.rows, p.cols]),
      floatTensor(w.scale, scales, [p.cols]),
      byteTensor(w.zeroPoint, DataType.INT8, new Int8Array(p.cols), [p.cols]),
    );
    this.weights.set(p.weightKey, w);
    return w;
  }

  /**
   * The shape ORT's CPU provider fuses: MatMulIntegerToFloat needs the Cast and both Muls to have a single consumer,
   * DynamicQuantizeMatMul needs each DynamicQuantizeLinear to feed exactly one MatMulInteger (so every product gets its
   * own, even when several read the same activation) and constant int8 weight, scale and zero point. The last Mul
   * keeps the original output name, so the node that read the fp32 product (a bias Add) now reads this one.
   */
  emit(p: WeightProduct): void {
    const base = p.node.name || p.output;
    const w = this.int8Weight(p, base);
    const xq = this.fresh(`${base}.x_quantized`);
    const xs = this.fresh(`${base}.x_scale`);
    const xz = this.fresh(`${base}.x_zero_point`);
    this.node('DynamicQuantizeLinear', [p.x], [xq, xs, xz], `${base}.quantize`);
    const acc = this.fresh(`${base}.int32`);
    this.node('MatMulInteger', [xq, w.q, xz, w.zeroPoint], [acc], `${base}.matmul_integer`);
    const accFloat = this.fresh(`${base}.int32_float`);
    this.node('Cast', [acc], [accFloat], `${base}.cast`, { to: attr.int(DataType.FLOAT) });
    const scale = this.fresh(`${base}.scale`);
    this.node('Mul', [xs, w.scale], [scale], `${base}.scale`);
    if (!p.bias) {
      this.node('Mul', [accFloat, scale], [p.output], `${base}.rescale`);
      return;
    }
    const product = this.fresh(`${base}.product`);
    this.node('Mul', [accFloat, scale], [product], `${base}.rescale`);
    const bias = this.fresh(`${base}.bias`);
    this.initializers.push(floatTensor(bias, p.bias, [p.cols]));
    this.node('Add', [product, bias], [p.output], `${base}.bias_add`);
  }
}
