// Which model serves: the active one, hot-swapped without dropping requests (callers hold the model they started with).
import { ConflictError, NotFoundError } from '../errors';
import type { Logger } from '../logging';
import type { ServingModel } from './serving-model';

export interface ModelSource {
  version: string;
  dir: string;
}

export interface ModelRegistryOptions {
  initial: ServingModel;
  /** Opens a bundle directory into a ServingModel (injected so tests can use fakes). */
  open: (dir: string) => Promise<ServingModel>;
  /** Models that can be activated besides the initial one, e.g. from the models table. */
  known?: () => ModelSource[];
  logger: Logger;
}

export class ModelRegistry {
  private current: ServingModel;
  private swapping: Promise<void> = Promise.resolve();
  /** Every model that has served, so a swap can always be undone. */
  private readonly served = new Map<string, ModelSource>();

  constructor(private readonly opts: ModelRegistryOptions) {
    this.current = opts.initial;
    this.served.set(opts.initial.version, { version: opts.initial.version, dir: opts.initial.dir });
  }

  /** The model a request should use for its whole life; a swap after this call does not affect it. */
  active(): ServingModel {
    return this.current;
  }

  list(): (ModelSource & { active: boolean })[] {
    const all = new Map<string, ModelSource>(this.served);
    for (const m of this.opts.known?.() ?? []) if (!all.has(m.version)) all.set(m.version, m);
    return [...all.values()].map((m) => ({ ...m, active: m.version === this.current.version }));
  }

  /**
   * Opens the new model first (a broken bundle fails here and the old model keeps serving), then switches,
   * then releases the old one once its in-flight requests have finished (engine.dispose drains).
   */
  async activate(version: string): Promise<ServingModel> {
    const run = this.swapping.then(async () => {
      if (version === this.current.version) return this.current;
      const source = this.list().find((m) => m.version === version);
      if (!source) throw new NotFoundError(`unknown model version "${version}"; known: ${this.list().map((m) => m.version).join(', ')}`, { field: 'version' });
      const next = await this.opts.open(source.dir).catch((e: unknown) => {
        throw new ConflictError(`model "${version}" could not be opened, "${this.current.version}" keeps serving: ${(e as Error).message}`, { field: 'version', cause: e });
      });
      const previous = this.current;
      this.current = next;
      this.served.set(next.version, { version: next.version, dir: next.dir });
      this.opts.logger.info({ from: previous.version, to: next.version }, 'active model swapped');
      void previous.engine.dispose().catch((e: unknown) => this.opts.logger.error({ err: e }, 'releasing the previous model failed'));
      return next;
    });
    // Swaps queue behind each other; a failed one must not block the next.
    this.swapping = run.then(() => undefined, () => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    await this.swapping;
    await this.current.engine.dispose();
  }
}
