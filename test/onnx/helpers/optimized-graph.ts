// What ONNX Runtime actually runs: a model's graph after ORT's optimisations (optimizedModelFilePath), as op counts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx, type OnnxTypes } from '../../../onnx/proto/onnx-namespace';

/** "domain:op" → count; the default domain is written as "", so a fused kernel reads "com.microsoft:DynamicQuantizeMatMul". */
export type OpCounts = Record<string, number>;

export function opCounts(nodes: readonly OnnxTypes.INodeProto[]): OpCounts {
  const counts: OpCounts = {};
  for (const n of nodes) {
    const key = `${n.domain ?? ''}:${n.opType}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Opens the model the way the engine does (CPU, all optimisations) and decodes the graph ORT dumped. */
export async function optimizedOpCounts(bytes: Uint8Array): Promise<OpCounts> {
  const dir = mkdtempSync(join(tmpdir(), 'churnscope-ort-opt-'));
  try {
    const file = join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: 2,
      optimizedModelFilePath: file,
      // ORT warns that an 'all'-level dump may be hardware specific; that is expected here.
      logSeverityLevel: 3,
    });
    await session.release();
    return opCounts(onnx.ModelProto.decode(readFileSync(file)).graph?.node ?? []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The products of a source graph: those whose right operand is an initializer, and the activation × activation rest. */
export function sourceProducts(bytes: Uint8Array): { weight: number; activation: number } {
  const graph = onnx.ModelProto.decode(bytes).graph!;
  const inits = new Set((graph.initializer ?? []).map((t) => t.name));
  const products = (graph.node ?? []).filter((n) => n.opType === 'MatMul' || n.opType === 'Gemm');
  const weight = products.filter((n) => inits.has(n.input?.[1])).length;
  return { weight, activation: products.length - weight };
}
