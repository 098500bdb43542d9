// The official ONNX checker (python onnx, full_check with strict shape inference) on the exported file and its int8 rewrite; needs python3-onnx (optional-tool.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { buildDriverTailGraph } from '../../onnx/explain/driver-tail-graph';
import { quantizeModel } from '../../onnx/quantize';
import { optionalTool } from '../helpers/optional-tool';
import { exportTestModel, TEST_HEAD, TEST_HYBRID_HEAD } from './helpers/exported-model';

const SKIP_MESSAGE = 'python3-onnx not installed (apt-get install python3-onnx); checker not run';

/**
 * `-I` and a cwd outside the repo matter: the repo's own `onnx/` folder would otherwise shadow the python package
 * as a namespace package. /usr/bin/python3 is tried too because apt's python3-onnx lands there, not in pyenv's python.
 */
function findPythonWithOnnx(): string | undefined {
  const candidates = [process.env.ONNX_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return candidates.find((py) => spawnSync(py, ['-I', '-c', 'import onnx.checker'], { cwd: tmpdir() }).status === 0);
}

const python = optionalTool('python3-onnx', findPythonWithOnnx(), SKIP_MESSAGE);

/** The op types of a model, comma-separated: shows the checker saw the int8 pattern, not an fp32 graph. */
const OP_TYPES =
  'import sys, onnx\nprint(",".join(sorted({n.op_type for n in onnx.load(sys.argv[1]).graph.node})), end="")';

describe('ONNX checker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'churnscope-onnx-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [label, head, int8] of [
    ['linear', TEST_HEAD, false],
    ['hybrid', TEST_HYBRID_HEAD, false],
    ['linear', TEST_HEAD, true],
    ['hybrid', TEST_HYBRID_HEAD, true],
  ] as const) {
    const kind = int8 ? 'int8-quantized' : 'exported';
    python.it(`accepts the ${kind} USE-lite model with the ${label} head (full_check)`, async (py) => {
      const file = join(dir, `model-${label}${int8 ? '-int8' : ''}.onnx`);
      const bytes = (await exportTestModel(head)).bytes;
      writeFileSync(file, int8 ? quantizeModel(bytes).bytes : bytes);
      const script = [
        'import sys, onnx',
        'onnx.checker.check_model(sys.argv[1], full_check=True)',
        'm = onnx.load(sys.argv[1])',
        'print("onnx", onnx.__version__, "ir", m.ir_version, "opset", m.opset_import[0].version, "nodes", len(m.graph.node))',
      ].join('\n');
      const res = spawnSync(py, ['-I', '-c', script, file], { cwd: tmpdir(), encoding: 'utf8' });
      console.info(`[onnx-checker] ${label}: ${py}: ${res.stdout.trim()} ${res.stderr.trim()}`);
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/ir 8 opset 17/);
      if (int8) {
        const ops = spawnSync(py, ['-I', '-c', OP_TYPES, file], { cwd: tmpdir(), encoding: 'utf8' });
        expect(ops.stdout.split(',')).toEqual(expect.arrayContaining(['DynamicQuantizeLinear', 'MatMulInteger']));
      }
    });
  }

  python.it("accepts the phrase drivers' tail side graph (full_check)", (py) => {
    const dim = 8;
    const out = 6;
    const file = join(dir, 'driver-tail.onnx');
    const fill = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k));
    writeFileSync(
      file,
      buildDriverTailGraph({
        dim,
        out,
        kernel: fill(dim * out, 0.7),
        bias: fill(out, 1.3),
        headWeight: fill(out, 0.3),
        headBias: 0.1,
      }),
    );
    const script = 'import sys, onnx\nonnx.checker.check_model(sys.argv[1], full_check=True)\nprint("ok")';
    const res = spawnSync(py, ['-I', '-c', script, file], { cwd: tmpdir(), encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe('ok');
  });
});
