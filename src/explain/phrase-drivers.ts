// The phrase-driver method of one served model, chosen once at model open: decomposed when the bundle allows, else occlusion.
import type { InferenceEngine, TextScore } from '../engine';
import type { Logger } from '../logging';
import { DRIVER_TAIL_IO } from '../../onnx/explain/driver-tail-graph';
import { readUseLiteTail, type DriverTail, type ReadTail } from './driver-tail';
import type { DriverOptions, TextExplanation } from './driver-units';
import { explainDecomposed } from './explain-decomposed';
import { explainText } from './explain-text';

/**
 * |tail recomputed in fp32 − model logit| accepted per window. The int8 file quantizes the tail's two matmuls (dynamic
 * uint8 activations), so its logit is not the fp32 tail's. Measured by `npm run eval:drivers` on the default bundle's
 * 798 held-out reviews: max 0.033, p99 0.019, median 0.004; 0.05 leaves room above the worst case seen.
 */
export const DECOMPOSED_LOGIT_TOLERANCE = 0.05;

export type DriverMethod = 'decomposed' | 'occlusion';

type DriverEngine = Pick<InferenceEngine, 'score' | 'supportsTokenStates' | 'windowAggregate'> &
  Partial<Pick<InferenceEngine, 'openSideGraph'>>;

export interface DriverResult extends TextExplanation {
  /** The method that produced these phrases (a decomposed model falls back to occlusion per text). */
  method: DriverMethod;
}

export interface DriverCounts {
  decomposed: number;
  /** Texts the decomposition refused (self-check or no token states) and occlusion explained instead. */
  fallbacks: number;
  occlusion: number;
}

export class PhraseDrivers {
  readonly counts: DriverCounts = { decomposed: 0, fallbacks: 0, occlusion: 0 };

  constructor(
    private readonly engine: DriverEngine,
    private readonly tail: DriverTail | undefined,
    private readonly logger: Logger,
    readonly tolerance = DECOMPOSED_LOGIT_TOLERANCE,
  ) {}

  get method(): DriverMethod {
    return this.tail ? 'decomposed' : 'occlusion';
  }

  /** Where the decomposed tail's dense part runs (undefined on occlusion). */
  get tailRunsOn(): DriverTail['runsOn'] | undefined {
    return this.tail?.runsOn;
  }

  /**
   * Drivers of `text`. Pass its score from engine.score(…, { tokenStates: true }) to reuse the scoring pass; without
   * one, the decomposed method runs one pass of its own (still one, against occlusion's one per unit).
   */
  async explain(text: string, opts: DriverOptions & { score?: TextScore; bulk?: boolean } = {}): Promise<DriverResult> {
    const { score, bulk, ...rest } = opts;
    if (!this.tail) {
      this.counts.occlusion++;
      return { ...(await explainText({ ...rest, engine: this.engine, text })), method: 'occlusion' };
    }
    const scored = score?.tokenStates ? score : (await this.engine.score([text], { tokenStates: true, bulk }))[0];
    const result = await explainDecomposed({
      ...rest,
      text,
      score: scored,
      tail: this.tail,
      aggregate: this.engine.windowAggregate,
      tolerance: this.tolerance,
      engine: this.engine,
    });
    if (result.ok) {
      this.counts.decomposed++;
      return { ...result.explanation, method: 'decomposed' };
    }
    this.counts.fallbacks++;
    this.logger.warn(
      { reason: result.reason, check: result.check, tolerance: this.tolerance, fallbacks: this.counts.fallbacks },
      `decomposed phrase drivers refused a text (${result.reason}); explained by occlusion`,
    );
    return { ...(await explainText({ ...rest, engine: this.engine, text })), method: 'occlusion' };
  }
}

/**
 * Picks the method for a model at open and logs it once: decomposed needs the token_states output (the engine
 * reports it) and a USE-lite tail in the bundle's fp32 file; older bundles and the BERT family stay on occlusion.
 */
export async function openPhraseDrivers(opts: {
  engine: DriverEngine;
  /** The bundle's fp32 onnx/model.onnx. */
  fp32ModelFile: string;
  logger: Logger;
  tolerance?: number;
}): Promise<PhraseDrivers> {
  const { engine, logger } = opts;
  let tail: DriverTail | undefined;
  let why = 'the model has no token_states output';
  if (engine.supportsTokenStates) {
    const read = await readUseLiteTail(opts.fp32ModelFile);
    if ('missing' in read) why = `${opts.fp32ModelFile} has ${read.missing}`;
    else tail = await placeTail(read, engine, logger);
  }
  const drivers = new PhraseDrivers(engine, tail, logger, opts.tolerance);
  if (tail) {
    logger.info(
      { method: 'decomposed', tolerance: drivers.tolerance, tail: tail.runsOn },
      `phrase drivers: decomposed from the scoring pass, tail on the ${tail.runsOn}`,
    );
  } else logger.info({ method: 'occlusion', reason: why }, `phrase drivers: occlusion (${why})`);
  return drivers;
}

/**
 * The tail's dense part goes to the engine's runtime (its worker thread, one small MatMul per text) when it can run a
 * side graph; else, and when ORT refuses the graph, it stays in TypeScript on this thread, and the log says so.
 */
async function placeTail(read: ReadTail, engine: DriverEngine, logger: Logger): Promise<DriverTail> {
  if (!engine.openSideGraph) return read.typescript;
  try {
    const graph = await engine.openSideGraph({ bytes: read.graphBytes(), ...DRIVER_TAIL_IO });
    if (graph) return read.onGraph(graph);
  } catch (e) {
    logger.warn({ err: e }, 'the drivers tail graph could not be opened; its dense part runs in TypeScript');
  }
  return read.typescript;
}
