// Scores one chunk of rows: one engine call for the chunk, row-by-row only when the engine refuses one of them.
import { isChurnscopeError, OverloadedError } from '../errors';
import { explainText } from '../explain';
import { timestampProblem } from '../ingest';
import { textProblem, type RowItem } from '../ingest';
import type { OutputRow } from './row-writer';
import { retryTransient } from './retry-transient';
import type { ScoreFileOptions } from './score-file';

/** One scored row: the output line, plus what a job needs to store it (its embedding never goes to the output file). */
export interface ScoredRow {
  line: number;
  values: Record<string, unknown>;
  output: OutputRow;
  /** Fused when the row names a known customer and a fusion model serves, else the text risk (as online). */
  risk: number;
  textRisk: number;
  tabularRisk: number | null;
  embedding: Float32Array;
}

type ChunkOptions = Pick<
  ScoreFileOptions,
  'engine' | 'calibrator' | 'textColumn' | 'timeColumn' | 'phrases' | 'drivers' | 'fuseRisk' | 'retry'
>;

/** Batch rows yield the model to online requests (see MicroBatcher). */
const BULK = { bulk: true } as const;

/**
 * Scores a chunk; one row the engine refuses must not sink the rest, so a refused chunk is retried row by row. A
 * transient refusal (OverloadedError) is a busy server, not a bad row: it is retried with backoff and, if it lasts,
 * fails the job (which a resume continues), never recorded as a row error.
 */
export async function scoreChunk(items: RowItem[], opts: ChunkOptions): Promise<(ScoredRow | string)[]> {
  const out: (ScoredRow | string)[] = items.map((it) =>
    it.kind === 'bad' ? it.reason : (textProblem(it.values, opts.textColumn) ?? timeProblem(it.values, opts) ?? ''),
  );
  const todo = items.map((_, i) => i).filter((i) => out[i] === '');
  const textOf = (i: number) => (items[i] as Extract<RowItem, { kind: 'row' }>).values[opts.textColumn] as string;
  type Scored = { probability: number; embedding: Float32Array };
  const score = (texts: string[]) => retryTransient(() => opts.engine.score(texts, BULK), opts.retry);
  let scores: (Scored | string)[];
  try {
    scores = todo.length ? await score(todo.map(textOf)) : [];
  } catch (e) {
    if (!isChurnscopeError(e) || e instanceof OverloadedError) throw e;
    scores = await Promise.all(
      todo.map((i) =>
        score([textOf(i)]).then(
          ([s]): Scored | string => s,
          (err: unknown) => {
            if (!isChurnscopeError(err) || err instanceof OverloadedError) throw err;
            return `not scorable: ${err.message}`;
          },
        ),
      ),
    );
  }
  await Promise.all(
    todo.map(async (i, k) => {
      const s = scores[k];
      if (typeof s === 'string') return void (out[i] = s);
      const textRisk = opts.calibrator.risk(s.probability);
      const { line, values } = items[i] as Extract<RowItem, { kind: 'row' }>;
      const fused = await fuseRow(opts, values, textRisk);
      if (typeof fused === 'string') return void (out[i] = fused);
      const { risk, tabularRisk } = fused;
      const phrases = opts.phrases ? await rowPhrases(textOf(i), opts) : '';
      const output = {
        ...values,
        risk: round(risk),
        band: opts.calibrator.band(risk),
        textRisk: round(textRisk),
        tabularRisk: tabularRisk === null ? null : round(tabularRisk),
        rawProbability: round(s.probability),
        phrases,
      };
      out[i] = { line, values, output, risk, textRisk, tabularRisk, embedding: s.embedding };
    }),
  );
  return out;
}

async function rowPhrases(text: string, opts: ChunkOptions): Promise<string> {
  const ex = await retryTransient(
    () =>
      opts.drivers
        ? opts.drivers.explain(text, { calibrator: opts.calibrator, bulk: true })
        : explainText({ engine: opts.engine, text, calibrator: opts.calibrator }),
    opts.retry,
  );
  return JSON.stringify(ex.phrases.map((p) => ({ text: p.text, weight: round(p.weight) })));
}

/** A time column that is named must hold times: a bad cell is this row's error, never silently the job's time. */
function timeProblem(values: Record<string, unknown>, opts: ChunkOptions): string | undefined {
  return opts.timeColumn ? timestampProblem(values[opts.timeColumn], opts.timeColumn) : undefined;
}

/** The row's risk as online; a customer whose stored features the fusion model refuses is this row's error. */
async function fuseRow(opts: ChunkOptions, values: Record<string, unknown>, textRisk: number) {
  if (!opts.fuseRisk) return { risk: textRisk, tabularRisk: null };
  try {
    return await opts.fuseRisk(values, textRisk);
  } catch (e) {
    if (!isChurnscopeError(e)) throw e;
    return `not fused with the customer's features: ${e.message}`;
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
