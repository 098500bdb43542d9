// Finds the matrix products whose right operand is a constant 2-D float initializer: the ones worth int8 weights.
import { floatData } from '../initializers/read-initializers';
import { DataType, type OnnxTypes } from '../proto';
import { transpose } from './per-column-int8';

export interface WeightProduct {
  node: OnnxTypes.INodeProto;
  /** The activation operand (left side). */
  x: string;
  output: string;
  /** [rows = K, cols = N], row-major, already transposed for a Gemm with transB=1. */
  weight: Float32Array;
  rows: number;
  cols: number;
  /** Gemm's alpha, folded into the weight scales. */
  gain: number;
  /** Gemm's beta·C when C is a constant [N] row; a MatMul's bias stays the Add node that follows it. */
  bias?: Float32Array;
  /** Products that share one weight (and transB, alpha) share its int8 initializers. */
  weightKey: string;
}

export interface WeightProductScan {
  products: Map<OnnxTypes.INodeProto, WeightProduct>;
  /** Weight products left in fp32, with the reason (anything unusual, so the caller can report it). */
  kept: { node: string; reason: string }[];
}

const attrOf = (node: OnnxTypes.INodeProto, name: string) => node.attribute?.find((a) => a.name === name);

/**
 * Activation × activation products (attention scores, the pooling sum) have no initializer operand and are not
 * candidates at all. An initializer that is also a graph input can be overridden at run time, so it is not constant.
 */
export function scanWeightProducts(graph: OnnxTypes.IGraphProto): WeightProductScan {
  const graphInputs = new Set((graph.input ?? []).map((v) => v.name ?? ''));
  const inits = new Map<string, OnnxTypes.ITensorProto>();
  for (const t of graph.initializer ?? []) if (!graphInputs.has(t.name ?? '')) inits.set(t.name ?? '', t);
  const products = new Map<OnnxTypes.INodeProto, WeightProduct>();
  const kept: WeightProductScan['kept'] = [];
  for (const node of graph.node ?? []) {
    if ((node.opType !== 'MatMul' && node.opType !== 'Gemm') || (node.domain ?? '') !== '') continue;
    const [x, w, c] = node.input ?? [];
    const weight = inits.get(w ?? '');
    if (!weight || inits.has(x ?? '')) continue;
    const keep = (reason: string) => kept.push({ node: node.name ?? node.output?.[0] ?? '', reason });
    const dims = (weight.dims ?? []).map(Number);
    const data = weight.dataType === DataType.FLOAT ? floatData(weight) : undefined;
    if (!data || dims.length !== 2) {
      keep(`weight ${w} is not a 2-D float32 tensor`);
      continue;
    }
    if (node.opType === 'MatMul') {
      products.set(node, {
        node,
        x,
        output: node.output![0],
        weight: data,
        rows: dims[0],
        cols: dims[1],
        gain: 1,
        weightKey: w,
      });
      continue;
    }
    const transA = Number(attrOf(node, 'transA')?.i ?? 0);
    const transB = Number(attrOf(node, 'transB')?.i ?? 0);
    const alpha = attrOf(node, 'alpha')?.f ?? 1;
    const beta = attrOf(node, 'beta')?.f ?? 1;
    if (transA !== 0) {
      keep('Gemm with transA=1');
      continue;
    }
    const [rows, cols] = transB ? [dims[1], dims[0]] : dims;
    let bias: Float32Array | undefined;
    if (c) {
      const ct = inits.get(c);
      const cd = ct?.dataType === DataType.FLOAT ? floatData(ct) : undefined;
      const cdims = (ct?.dims ?? []).map(Number);
      if (!cd || cd.length !== cols || cdims[cdims.length - 1] !== cols) {
        keep(`Gemm bias ${c} is not a constant [${cols}] row`);
        continue;
      }
      bias = Float32Array.from(cd, (v) => v * beta);
    }
    products.set(node, {
      node,
      x,
      output: node.output![0],
      weight: transB ? transpose(data, dims[0], dims[1]) : data,
      rows,
      cols,
      gain: alpha,
      bias,
      weightKey: `${w}|${transB}|${alpha}`,
    });
  }
  return { products, kept };
}
