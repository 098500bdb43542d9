// Unit test of the ONNX proto builder: small graphs built here must decode with the right header and run in onnxruntime-node.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { attr, DataType, GraphBuilder } from '../../onnx/proto';
import { onnx, type OnnxTypes } from '../../onnx/proto/onnx-namespace';

/** y = Transpose(x · W + b) * 2, with x [batch, 3] dynamic over batch. */
function tinyModel(): Uint8Array {
  const g = new GraphBuilder('tiny');
  const x = g.input('x', DataType.FLOAT, ['batch', 3]);
  const w = g.initializer('w', Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
  const b = g.constFloat('b', [0.5, -0.5]);
  const two = g.constFloat('two', [2], []);
  const xw = g.op('MatMul', [x, w]);
  const sum = g.op('Add', [xw, b]);
  const t = g.op('Transpose', [sum], { perm: attr.ints([1, 0]) });
  const y = g.op('Mul', [t, two]);
  const shape = g.op('Shape', [x]);
  g.output(y, DataType.FLOAT, [2, 'batch'], 'y');
  g.output(shape, DataType.INT64, [2], 'x_shape');
  return g.encode({ metadata: { purpose: 'test' } });
}

describe('GraphBuilder', () => {
  it('writes ir_version 8, opset 17, producer churnscope, symbolic dims and raw LE initializers', () => {
    const model = onnx.ModelProto.decode(tinyModel());
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(model.producerName).toBe('churnscope');
    expect(model.metadataProps.map((p) => [p.key, p.value])).toEqual([['purpose', 'test']]);
    const graph = model.graph as OnnxTypes.GraphProto;
    const dims = (graph.input[0] as OnnxTypes.ValueInfoProto).type!.tensorType!.shape!.dim!.map(
      (d) => d.dimParam || Number(d.dimValue),
    );
    expect(dims).toEqual(['batch', 3]);
    const w = graph.initializer.find((t) => t.name === 'w') as OnnxTypes.TensorProto;
    expect(w.dataType).toBe(DataType.FLOAT);
    expect(w.dims.map(Number)).toEqual([3, 2]);
    expect(new DataView(w.rawData.buffer, w.rawData.byteOffset).getFloat32(4, true)).toBe(2);
    expect(graph.node.map((n) => n.opType)).toEqual([
      'MatMul',
      'Add',
      'Transpose',
      'Mul',
      'Shape',
      'Identity',
      'Identity',
    ]);
  });

  it('runs in onnxruntime-node for two batch sizes', async () => {
    const session = await ort.InferenceSession.create(tinyModel());
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y', 'x_shape']);
    for (const batch of [1, 4]) {
      const x = Float32Array.from({ length: batch * 3 }, (_, i) => i - 2);
      const out = await session.run({ x: new ort.Tensor('float32', x, [batch, 3]) });
      const expected: number[] = [];
      for (let j = 0; j < 2; j++) {
        for (let r = 0; r < batch; r++) {
          const row = x.subarray(r * 3, r * 3 + 3);
          const dot = row[0] * [1, 2][j] + row[1] * [3, 4][j] + row[2] * [5, 6][j];
          expected.push((dot + [0.5, -0.5][j]) * 2);
        }
      }
      expect(out.y.dims).toEqual([2, batch]);
      expect(Array.from(out.y.data as Float32Array)).toEqual(expected);
      expect(Array.from(out.x_shape.data as BigInt64Array)).toEqual([BigInt(batch), 3n]);
    }
    await session.release();
  });

  it('refuses unknown inputs, duplicate names and mis-sized initializers', () => {
    const g = new GraphBuilder();
    g.input('x', DataType.FLOAT, [1]);
    expect(() => g.op('Relu', ['nope'])).toThrow(ValidationError);
    expect(() => g.input('x', DataType.FLOAT, [1])).toThrow(ValidationError);
    expect(() => g.initializer('w', new Float32Array(3), [2, 2])).toThrow(ValidationError);
    expect(() => g.encode()).toThrow(/no outputs/);
  });

  it('gives fresh names to repeated hints', () => {
    const g = new GraphBuilder();
    const x = g.input('x', DataType.FLOAT, [2]);
    const a = g.op('Relu', [x], undefined, 'act');
    const b = g.op('Relu', [a], undefined, 'act');
    expect([a, b]).toEqual(['act', 'act_1']);
  });
});
