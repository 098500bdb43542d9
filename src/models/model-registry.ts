// Which model serves: the active one, hot-swapped without dropping work; every holder leases its model (reference counting).
import { ConflictError, NotFoundError } from '../errors';
import type { Logger } from '../logging';
import { ModelLeases, type ModelLease } from './model-leases';
import type { ServingModel } from './serving-model';

export type { ModelLease };

export interface ModelSource {
  version: string;
  dir: string;
}

/** A model that is open now: the active one, or a previous one that holders still lease. */
export interface LoadedModel {
  version: string;
  active: boolean;
  provider: string;
  precision: string;
  modelFile: string;
  /** Leases held, the registry's own reference to the active model not counted. */
  holders: number;
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
  private readonly leases: ModelLeases;

  constructor(private readonly opts: ModelRegistryOptions) {
    this.current = opts.initial;
    this.served.set(opts.initial.version, { version: opts.initial.version, dir: opts.initial.dir });
    this.leases = new ModelLeases(opts.logger);
    this.leases.retain(opts.initial); // the registry's own reference, released when the model stops being active
  }

  /**
   * The model to run work on, held until release(): a swap meanwhile does not dispose it. Requests and batch jobs
   * take one for their whole life; release exactly once (further calls are ignored).
   */
  acquire(): ModelLease {
    return this.leases.acquire(this.current);
  }

  /**
   * The active model, for reads that do not run it (version, band thresholds, queue depth, readiness). Anything that
   * scores with it must acquire() instead, or a swap may dispose the engine under it.
   */
  active(): ServingModel {
    return this.current;
  }

  list(): (ModelSource & { active: boolean; loaded?: Omit<LoadedModel, 'version' | 'active'> })[] {
    const all = new Map<string, ModelSource>(this.served);
    for (const m of this.opts.known?.() ?? []) if (!all.has(m.version)) all.set(m.version, m);
    const loaded = new Map(this.loaded().map((m) => [m.version, m]));
    return [...all.values()].map((m) => ({
      ...m,
      active: m.version === this.current.version,
      ...(loaded.has(m.version) ? { loaded: withoutVersion(loaded.get(m.version)!) } : {}),
    }));
  }

  /** Models open now, the active one first, with the file and precision each runs. */
  loaded(): LoadedModel[] {
    const open = this.leases.open().sort((a, b) => Number(b.model === this.current) - Number(a.model === this.current));
    return open.map(({ model, holders }) => ({
      version: model.version,
      active: model === this.current,
      provider: model.engine.provider,
      precision: model.engine.precision,
      modelFile: model.engine.modelFile,
      holders: model === this.current ? holders - 1 : holders,
    }));
  }

  /**
   * Opens the new model first (a broken bundle fails here and the old model keeps serving), then switches and drops
   * the registry's reference to the old one, which is disposed when its last holder releases it.
   */
  async activate(version: string): Promise<ServingModel> {
    const run = this.swapping.then(async () => {
      if (version === this.current.version) return this.current;
      const source = this.list().find((m) => m.version === version);
      if (!source)
        throw new NotFoundError(
          `unknown model version "${version}"; known: ${this.list()
            .map((m) => m.version)
            .join(', ')}`,
          { field: 'version' },
        );
      // A model still held by earlier work is reused rather than opened twice.
      const next =
        this.leases.find(version) ??
        (await this.opts.open(source.dir).catch((e: unknown) => {
          throw new ConflictError(
            `model "${version}" could not be opened, "${this.current.version}" keeps serving: ${(e as Error).message}`,
            { field: 'version', cause: e },
          );
        }));
      const previous = this.current;
      this.leases.retain(next);
      this.current = next;
      this.served.set(next.version, { version: next.version, dir: next.dir });
      this.opts.logger.info(
        { from: previous.version, to: next.version, precision: next.engine.precision, modelFile: next.engine.modelFile },
        'active model swapped',
      );
      this.leases.release(previous);
      return next;
    });
    // Swaps queue behind each other; a failed one must not block the next.
    this.swapping = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Drops the active model's reference and waits until every model is disposed (holders release first). */
  async dispose(): Promise<void> {
    await this.swapping;
    this.leases.release(this.current);
    await this.leases.allDisposed();
  }
}

function withoutVersion({ version: _v, active: _a, ...rest }: LoadedModel): Omit<LoadedModel, 'version' | 'active'> {
  return rest;
}
