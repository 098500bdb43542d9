// Refuses an ONNX graph that is not a churnscope text model or is cut short, before anything is rewritten.
import { ModelLoadError } from '../../src/errors';
import { USE_LITE_ONNX_IO } from '../exporters/use-lite';
import type { OnnxTypes } from '../proto';

/**
 * Every churnscope exporter (USE-lite, BERT family) has the same I/O, which is what the engine checks too. A
 * truncated file can still decode when the cut falls on a field boundary, so a graph whose nodes read values that
 * nothing defines (its initializers were cut off) is refused as truncated rather than quantized.
 */
export function checkChurnscopeGraph(model: OnnxTypes.ModelProto, file: string): OnnxTypes.IGraphProto {
  const graph = model.graph;
  if (!graph || (graph.node?.length ?? 0) === 0)
    throw new ModelLoadError(`${file} has no graph (truncated?)`, { file });
  const inputs = (graph.input ?? []).map((v) => v.name ?? '');
  const outputs = (graph.output ?? []).map((v) => v.name ?? '');
  const missing = [
    ...USE_LITE_ONNX_IO.inputs.filter((n) => !inputs.includes(n)),
    ...USE_LITE_ONNX_IO.outputs.filter((n) => !outputs.includes(n)),
  ];
  if (missing.length > 0) {
    throw new ModelLoadError(
      `${file} is not a churnscope text model: expected inputs [${USE_LITE_ONNX_IO.inputs.join(', ')}] and outputs ` +
        `[${USE_LITE_ONNX_IO.outputs.join(', ')}], got inputs [${inputs.join(', ')}] and outputs [${outputs.join(', ')}]`,
      { file },
    );
  }
  const defined = new Set<string>([...inputs, ...(graph.initializer ?? []).map((t) => t.name ?? ''), '']);
  for (const node of graph.node ?? []) for (const o of node.output ?? []) defined.add(o);
  const undefinedInput = (graph.node ?? []).flatMap((n) => n.input ?? []).find((i) => !defined.has(i));
  const undefinedOutput = outputs.find((o) => !defined.has(o));
  const dangling = undefinedInput ?? undefinedOutput;
  if (dangling !== undefined) {
    throw new ModelLoadError(`${file} is truncated or damaged: value "${dangling}" is read but never defined`, {
      file,
      field: dangling,
    });
  }
  return graph;
}
