// Dependency fences: each native or heavy package stays in its one folder, and onnx/ never reaches into training/.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkFences,
  formatViolations,
  readSourceTree,
  type FolderFence,
  type PackageFence,
  type SourceFile,
} from './helpers/import-fences';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Tests are left out on purpose: parity tests compare TF.js against ONNX Runtime in one file. */
const SCANNED = ['src', 'onnx', 'training', 'scripts', 'bin'];

/** One row per package; moving a package's home is a one-line change here. */
const PACKAGE_FENCES: readonly PackageFence[] = [
  { pkg: 'onnxruntime-node', allowedIn: ['src/engine/'] },
  { pkg: 'better-sqlite3', allowedIn: ['src/store/sqlite/'] },
  { pkg: 'pg', allowedIn: ['src/store/postgres/'] },
  // The job queue (src/store/postgres/pg-job-queue.ts) is part of the PostgreSQL store: workers see only JobQueue.
  { pkg: 'pg-boss', allowedIn: ['src/store/postgres/'] },
  { pkg: '@tensorflow/*', allowedIn: ['training/'] },
  { pkg: 'onnx-proto', allowedIn: ['onnx/'] },
  // Only the naive peer the benchmarks compare against: one loader, used by bench scripts and the bundle tests.
  {
    pkg: '@huggingface/transformers',
    allowedIn: ['onnx/bundle/load-with-transformers.ts', 'scripts/bench-', 'scripts/naive-transformers-server.ts'],
  },
];

/** training/ builds on onnx/ (it exports through it); the reverse would make the two one module. */
const FOLDER_FENCES: readonly FolderFence[] = [{ from: 'onnx/', to: 'training/' }];

const FENCES = { packages: PACKAGE_FENCES, folders: FOLDER_FENCES };

describe('dependency fences', () => {
  it('hold over every source file outside test/', () => {
    const files = readSourceTree(ROOT, SCANNED);
    // A scan that found nothing would pass vacuously.
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.path === 'src/engine/onnx-session.ts')).toBe(true);
    expect(formatViolations(checkFences(files, FENCES))).toBe('');
  });
});

describe('the fence scanner', () => {
  const sample = (p: string, text: string): SourceFile => ({ path: p, text });

  it('reports each kind of import that crosses a fence, naming file, line and specifier', () => {
    const files = [
      sample('src/api/bad.ts', "import * as ort from 'onnxruntime-node';\n"),
      sample('src/jobs/bad.ts', "\nimport type { Statement } from 'better-sqlite3';\n"),
      sample('src/store/postgres/bad.ts', "import Database from 'better-sqlite3';\n"),
      sample('src/api/pg.ts', "export { Pool } from 'pg';\nconst boss = await import('pg-boss');\n"),
      sample(
        'scripts/bench-x.ts',
        "const tf = require('@tensorflow/tfjs-node');\nimport '@huggingface/transformers';\n",
      ),
      sample('src/cli.ts', "import { a } from '@huggingface/transformers';\nimport proto from 'onnx-proto/sub';\n"),
      sample(
        'onnx/exporters/x.ts',
        "import type { P } from '../../training/heads/params';\nimport { t } from '../../training';\n",
      ),
    ];
    const found = checkFences(files, FENCES).map((v) => `${v.file}:${v.line} ${v.specifier}`);
    expect(found).toEqual([
      'src/api/bad.ts:1 onnxruntime-node',
      'src/jobs/bad.ts:2 better-sqlite3',
      'src/store/postgres/bad.ts:1 better-sqlite3',
      'src/api/pg.ts:1 pg',
      'src/api/pg.ts:2 pg-boss',
      'scripts/bench-x.ts:1 @tensorflow/tfjs-node',
      'src/cli.ts:1 @huggingface/transformers',
      'src/cli.ts:2 onnx-proto/sub',
      'onnx/exporters/x.ts:1 ../../training/heads/params',
      'onnx/exporters/x.ts:2 ../../training',
    ]);
    expect(formatViolations(checkFences(files.slice(0, 1), FENCES))).toBe(
      "src/api/bad.ts:1 imports 'onnxruntime-node' (onnxruntime-node only in src/engine/)",
    );
  });

  it('accepts imports inside their fence, look-alike names, and imports that only appear in comments or strings', () => {
    const files = [
      sample('src/engine/onnx-session.ts', "import * as ort from 'onnxruntime-node';\n"),
      sample('src/store/sqlite/open-database.ts', "import Database from 'better-sqlite3';\n"),
      sample('training/loop/x.ts', "import * as tf from '@tensorflow/tfjs';\nimport { b } from '../../onnx';\n"),
      sample('src/api/y.ts', "import x from 'pgx';\nimport y from '@tensorflow-models/use';\n"),
      sample('src/api/z.ts', "// import * as ort from 'onnxruntime-node';\nconst s = \"require('pg')\";\n"),
      sample('onnx/params/x.ts', "import { a } from './training-data';\nimport { b } from '../../src/training';\n"),
    ];
    expect(checkFences(files, FENCES)).toEqual([]);
  });
});
