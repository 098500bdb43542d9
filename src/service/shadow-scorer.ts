// Shadow scoring: an inactive model scores a sampled share of live texts after each response, stored apart, never served.
import type { EngineConfig } from '../config';
import type { Logger } from '../logging';
import { openServingModel, type ServingModel } from '../models';
import type { Store } from '../store';

export interface ShadowScorerOptions {
  model: ServingModel;
  /** Share of scored texts the shadow model also scores, 0..1. */
  sampleRate: number;
  store: Pick<Store, 'shadowScores'>;
  logger: Logger;
  /** Uniform in [0, 1); injected so tests can pick which texts are sampled. */
  random?: () => number;
  clock?: () => Date;
}

export class ShadowScorer {
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  private constructor(private readonly opts: ShadowScorerOptions) {}

  /**
   * `model`: an open model (owned from now on), or a bundle to open fully before serving starts, so a broken one
   * refuses start-up instead of failing on every sampled text later.
   */
  static async create(
    opts: Omit<ShadowScorerOptions, 'model'> & { model: ServingModel | { dir: string; engine: EngineConfig } },
  ): Promise<ShadowScorer> {
    const { model } = opts;
    const opened =
      'calibrator' in model
        ? model
        : await openServingModel({ dir: model.dir, engine: model.engine, logger: opts.logger });
    return new ShadowScorer({ ...opts, model: opened });
  }

  get version(): string {
    return this.opts.model.version;
  }

  /**
   * Fire and forget: returns at once, scoring starts on a later turn of the event loop (after the response is
   * written), and failures are logged, never thrown. Only the sampled texts are scored.
   */
  offer(items: readonly { textId: string; text: string }[]): void {
    if (this.closed) return;
    const random = this.opts.random ?? Math.random;
    const sampled = items.filter(() => random() < this.opts.sampleRate);
    if (sampled.length === 0) return;
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.score(sampled))
      .catch((err: unknown) =>
        this.opts.logger.warn({ err, model: this.version, texts: sampled.length }, 'shadow scoring failed'),
      )
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /** Resolves when every offered batch is stored (or has failed). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Stops taking texts, finishes those offered, releases the engine. */
  async dispose(): Promise<void> {
    this.closed = true;
    await this.idle();
    await this.opts.model.engine.dispose();
  }

  private async score(items: readonly { textId: string; text: string }[]): Promise<void> {
    const { model, store } = this.opts;
    const scores = await model.engine.score(items.map((i) => i.text));
    const createdAt = (this.opts.clock ?? (() => new Date()))();
    for (const [i, item] of items.entries()) {
      await store.shadowScores.insert({
        textId: item.textId,
        modelVersion: model.version,
        risk: model.calibrator.risk(scores[i].probability),
        createdAt,
      });
    }
  }
}
