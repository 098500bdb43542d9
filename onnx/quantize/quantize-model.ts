// Rewrites a churnscope ONNX model to int8 weights with dynamic activation quantization, in the op pattern ORT fuses.
import { ModelLoadError } from '../../src/errors';
import { onnx, type OnnxTypes } from '../proto/onnx-namespace';
import { checkChurnscopeGraph } from './churnscope-signature';
import { DynamicMatMulEmitter } from './emit-dynamic-matmul';
import { scanWeightProducts } from './weight-products';

export const QUANTIZATION_METADATA_KEY = 'churnscope.quantization';
export const QUANTIZATION_METHOD = 'int8 weights (per-output-channel symmetric), dynamic uint8 activations';

export interface QuantizeModelResult {
  bytes: Uint8Array;
  /** MatMul/Gemm nodes whose weights became int8. */
  quantized: string[];
  /** Weight products left in fp32, with why. */
  kept: { node: string; reason: string }[];
}

/** DynamicQuantizeLinear arrived in opset 11; below that the pattern cannot be written. */
const MIN_OPSET = 11;

export function quantizeModel(bytes: Uint8Array, file = 'model.onnx'): QuantizeModelResult {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw new ModelLoadError(`cannot read ONNX model ${file} (truncated or not ONNX): ${(cause as Error).message}`, {
      file,
      cause,
    });
  }
  const graph = checkChurnscopeGraph(model, file);
  const opset = Number(model.opsetImport?.find((o) => (o.domain ?? '') === '')?.version ?? 0);
  if (opset < MIN_OPSET)
    throw new ModelLoadError(`${file}: opset ${opset} is below ${MIN_OPSET}, cannot quantize`, { file });
  if (model.metadataProps?.some((p) => p.key === QUANTIZATION_METADATA_KEY))
    throw new ModelLoadError(`${file} is already quantized`, { file });

  const { products, kept } = scanWeightProducts(graph);
  const emitter = new DynamicMatMulEmitter(usedNames(graph));
  const nodes: OnnxTypes.INodeProto[] = [];
  for (const node of graph.node ?? []) {
    const product = products.get(node);
    if (!product) {
      nodes.push(node);
      continue;
    }
    emitter.emit(product);
    nodes.push(...emitter.nodes.splice(0));
  }
  const rewritten = new Set([...products.values()].map((p) => p.output));
  const constants = new Set([...(graph.initializer ?? []), ...emitter.initializers].map((t) => t.name ?? ''));
  for (const node of nodes) biasSecond(node, rewritten, constants);

  const read = new Set(nodes.flatMap((n) => n.input ?? []));
  graph.node = nodes;
  // fp32 weights nothing reads any more go; anything still read (a weight shared with an fp32 op) stays.
  graph.initializer = [...(graph.initializer ?? []).filter((t) => read.has(t.name ?? '')), ...emitter.initializers];
  model.metadataProps = [
    ...(model.metadataProps ?? []),
    { key: QUANTIZATION_METADATA_KEY, value: `${QUANTIZATION_METHOD}; ${products.size} weight products` },
  ];
  return {
    bytes: onnx.ModelProto.encode(model).finish(),
    quantized: [...products.keys()].map((n) => n.name ?? n.output?.[0] ?? ''),
    kept,
  };
}

/** ORT folds the bias into the int8 kernel only when the Add's second input is the constant. */
function biasSecond(node: OnnxTypes.INodeProto, rewritten: Set<string>, constants: Set<string>): void {
  const [a, b] = node.input ?? [];
  if (node.opType === 'Add' && node.input?.length === 2 && constants.has(a) && rewritten.has(b)) node.input = [b, a];
}

function usedNames(graph: OnnxTypes.IGraphProto): Set<string> {
  const used = new Set<string>();
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) used.add(v.name ?? '');
  for (const t of graph.initializer ?? []) used.add(t.name ?? '');
  for (const n of graph.node ?? []) {
    used.add(n.name ?? '');
    for (const v of [...(n.input ?? []), ...(n.output ?? [])]) used.add(v);
  }
  return used;
}
