// Keeps a replica on the model the store says is active: told by the store (LISTEN/NOTIFY) and polling as the fallback.
import type { Logger } from '../logging';
import type { ModelRepository, StoreChanges } from '../store';
import type { ModelRegistry } from './model-registry';

export interface ModelSyncStatus {
  /** The version the store says is active (null: none recorded, or not read yet). */
  stored: string | null;
  /** Set while this replica cannot serve the stored version and keeps its own. */
  mismatch?: { version: string; reason: string; since: string };
}

export interface ActiveModelFollowerOptions {
  registry: ModelRegistry;
  models: Pick<ModelRepository, 'active'>;
  /** Absent (SQLite): polling alone. */
  changes?: StoreChanges;
  /** 0: no polling (then only pushed changes are followed). */
  pollMs: number;
  logger: Logger;
}

export class ActiveModelFollower {
  private stored: string | null = null;
  private mismatch: ModelSyncStatus['mismatch'];
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  private constructor(private readonly opts: ActiveModelFollowerOptions) {}

  /** Listens, polls, and syncs once before resolving. */
  static async start(opts: ActiveModelFollowerOptions): Promise<ActiveModelFollower> {
    const follower = new ActiveModelFollower(opts);
    follower.unlisten = await opts.changes?.onModelActivated(() => void follower.sync());
    if (opts.pollMs > 0) {
      follower.timer = setInterval(() => void follower.sync(), opts.pollMs);
      follower.timer.unref();
    }
    await follower.sync();
    return follower;
  }

  status(): ModelSyncStatus {
    return { stored: this.stored, ...(this.mismatch ? { mismatch: this.mismatch } : {}) };
  }

  /** Never throws. Calls while one runs are folded into one more run after it, so the newest state always wins. */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.syncOnce().catch((err: unknown) =>
          this.opts.logger.warn({ err }, 'cannot read the active model from the store; will retry'),
        );
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unlisten?.();
    await this.running;
  }

  private async syncOnce(): Promise<void> {
    const { registry, logger } = this.opts;
    const stored = (await this.opts.models.active())?.version ?? null;
    this.stored = stored;
    const serving = registry.active().version;
    if (stored === null || stored === serving) {
      this.mismatch = undefined;
      return;
    }
    // Refused once per version: re-opening a bundle that failed on every poll would only repeat the same error.
    if (this.mismatch?.version === stored) return;
    if (!registry.list().some((m) => m.version === stored)) {
      this.refuse(stored, `this replica has no bundle for "${stored}" in its models directory`);
      return;
    }
    try {
      await registry.activate(stored);
      this.mismatch = undefined;
      logger.info({ from: serving, to: stored }, 'followed a model activation made on another replica');
    } catch (e) {
      this.refuse(stored, (e as Error).message);
    }
  }

  private refuse(version: string, reason: string): void {
    const serving = this.opts.registry.active().version;
    this.mismatch = { version, reason, since: new Date().toISOString() };
    this.opts.logger.error(
      { stored: version, serving, reason },
      `model "${version}" was activated on another replica but cannot serve here; "${serving}" keeps serving`,
    );
  }
}
