// LISTEN/NOTIFY on PostgreSQL: one dedicated connection that tells this process when another one changed shared state.
import { Client } from 'pg';
import type { Logger } from '../../logging';
import type { StoreChanges } from '../types';

/** The channel models.activate notifies on; the payload is the version, but listeners re-read the table anyway. */
export const MODELS_CHANNEL = 'churnscope_models';

export interface PgNotificationsOptions {
  url: string;
  display: string;
  logger: Logger;
  connectTimeoutMs: number;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Not a pooled client: a LISTEN lives on its session, and a pool would hand that session to other work. When the
 * connection drops it reconnects with backoff and then calls every listener once, since notices sent while it was
 * away are lost; callers poll as well, so a missed notice only delays them.
 */
export class PgNotifications implements StoreChanges {
  private readonly listeners = new Set<() => void>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private backoffMs = 500;
  private closed = false;

  constructor(private readonly opts: PgNotificationsOptions) {}

  async onModelActivated(fn: () => void): Promise<() => Promise<void>> {
    this.listeners.add(fn);
    await this.ensureConnected();
    // The connection stays until the store closes: another listener may come, and one idle session is cheap.
    return () => {
      this.listeners.delete(fn);
      return Promise.resolve();
    };
  }

  /** Final: the store is closing. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.opts.url,
      connectionTimeoutMillis: this.opts.connectTimeoutMs,
      application_name: 'churnscope-listen',
    });
    client.on('notification', (n) => {
      if (n.channel === MODELS_CHANNEL) this.notify();
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${MODELS_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      this.opts.logger.warn({ err, db: this.opts.display }, 'cannot LISTEN for model activations; polling only');
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    const reconnected = this.backoffMs > 500;
    this.client = client;
    this.backoffMs = 500;
    if (reconnected) this.notify();
  }

  private lost(client: Client, err?: Error): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    this.opts.logger.warn({ err, db: this.opts.display }, 'LISTEN connection lost; reconnecting');
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.ensureConnected(), this.backoffMs);
    this.retry.unref();
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
  }

  private notify(): void {
    for (const fn of this.listeners) {
      try {
        fn();
      } catch (err) {
        this.opts.logger.error({ err }, 'model activation listener failed');
      }
    }
  }
}
