// Reference counts on open serving models: a model's engine is disposed only when its last holder lets go.
import type { Logger } from '../logging';
import type { ServingModel } from './serving-model';

/** A hold on one model; release() once when the work that pinned it is done. */
export interface ModelLease {
  readonly model: ServingModel;
  release(): void;
}

interface Entry {
  refs: number;
}

export class ModelLeases {
  private readonly entries = new Map<ServingModel, Entry>();
  private readonly disposals = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Adds a reference that the caller drops with release(model). */
  retain(model: ServingModel): void {
    const entry = this.entries.get(model);
    if (entry) entry.refs++;
    else this.entries.set(model, { refs: 1 });
  }

  acquire(model: ServingModel): ModelLease {
    this.retain(model);
    let held = true;
    return {
      model,
      release: () => {
        // Idempotent, so a finally block and an error path can both release without freeing someone else's hold.
        if (!held) return;
        held = false;
        this.release(model);
      },
    };
  }

  release(model: ServingModel): void {
    const entry = this.entries.get(model);
    if (!entry) return;
    if (--entry.refs > 0) return;
    this.entries.delete(model);
    const disposal = model.engine
      .dispose()
      .then(() => this.logger.info({ version: model.version }, 'model released: its last holder finished'))
      .catch((e: unknown) => this.logger.error({ err: e, version: model.version }, 'releasing a model failed'))
      .finally(() => this.disposals.delete(disposal));
    this.disposals.add(disposal);
  }

  /** A model still open (held), by version. */
  find(version: string): ServingModel | undefined {
    return [...this.entries.keys()].find((m) => m.version === version);
  }

  open(): { model: ServingModel; holders: number }[] {
    return [...this.entries].map(([model, e]) => ({ model, holders: e.refs }));
  }

  /** Resolves once no model is open and every disposal has finished. */
  async allDisposed(): Promise<void> {
    const started = Date.now();
    let warned = false;
    while (this.entries.size > 0 || this.disposals.size > 0) {
      if (this.disposals.size > 0) await Promise.all(this.disposals);
      else await new Promise((r) => setTimeout(r, 5));
      if (!warned && this.entries.size > 0 && Date.now() - started > 5000) {
        warned = true;
        const held = this.open().map(({ model, holders }) => ({ version: model.version, holders }));
        this.logger.warn({ held }, 'waiting for model holders to finish before releasing their models');
      }
    }
  }
}
