// Graceful shutdown: stop accepting, let in-flight HTTP requests finish (bounded), close keep-alive sockets, then run the drainers in order.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logging';

/** One thing to finish or checkpoint after HTTP has stopped, e.g. `{ name: 'jobs', drain: () => jobs.stop() }`. */
export interface Drainer {
  name: string;
  drain: () => Promise<void> | void;
}

export interface GracefulShutdownOptions {
  server: Server;
  /** How long in-flight requests may take to finish before their connections are cut. */
  timeoutMs: number;
  /** Run one after another once HTTP is closed; a failing one is logged and the rest still run. */
  drainers: readonly Drainer[];
  logger: Logger;
}

export interface ShutdownReport {
  /** Requests still running when the timeout cut their connections. */
  cutRequests: number;
  failedDrainers: string[];
}

/** How often idle keep-alive sockets are closed while requests drain (a socket becomes idle when its response ends). */
const IDLE_SWEEP_MS = 50;

/** Attach it right after listen (it counts the requests it sees), and let it be the one that closes the server. */
export class GracefulShutdown {
  private inFlight = 0;
  private readonly busySockets = new Set<Socket>();
  private closing: Promise<ShutdownReport> | undefined;

  private constructor(private readonly opts: GracefulShutdownOptions) {
    // Prepended, so the count and the header happen before the app can have answered.
    opts.server.prependListener('request', (req, res) => {
      this.inFlight++;
      this.busySockets.add(req.socket);
      // Once shutdown started, no response keeps its connection alive: the client reconnects elsewhere.
      if (this.closing) res.setHeader('Connection', 'close');
      res.once('close', () => {
        this.inFlight--;
        this.busySockets.delete(req.socket);
      });
    });
  }

  static attach(opts: GracefulShutdownOptions): GracefulShutdown {
    return new GracefulShutdown(opts);
  }

  get inFlightRequests(): number {
    return this.inFlight;
  }

  /** Idempotent: a second call returns the first call's promise. */
  shutdown(): Promise<ShutdownReport> {
    this.closing ??= this.run();
    return this.closing;
  }

  private async run(): Promise<ShutdownReport> {
    const { logger } = this.opts;
    logger.info(
      { inFlight: this.inFlight, timeoutMs: this.opts.timeoutMs },
      'shutting down: no new connections, draining in-flight requests',
    );
    const cutRequests = await this.closeHttp();
    if (cutRequests > 0) logger.warn({ cutRequests }, 'shutdown timeout: connections of unfinished requests were cut');
    const failedDrainers: string[] = [];
    for (const d of this.opts.drainers) {
      try {
        await d.drain();
        logger.debug({ drainer: d.name }, 'drained');
      } catch (err) {
        failedDrainers.push(d.name);
        logger.error({ err, drainer: d.name }, 'drainer failed during shutdown');
      }
    }
    logger.info({ cutRequests, failedDrainers }, 'shutdown complete');
    return { cutRequests, failedDrainers };
  }

  private closeHttp(): Promise<number> {
    const { server } = this.opts;
    return new Promise((resolve) => {
      let cut = 0;
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      const deadline = setTimeout(() => {
        cut = this.inFlight;
        for (const s of this.busySockets) s.destroy();
        server.closeAllConnections();
      }, this.opts.timeoutMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        resolve(cut);
      });
      server.closeIdleConnections();
    });
  }
}

/**
 * SIGINT/SIGTERM start the shutdown; a second signal while it runs exits at once (an operator who presses Ctrl-C
 * twice means it). `exit` is injected so tests can observe it.
 */
export function exitOnSignals(opts: {
  shutdown: () => Promise<unknown>;
  logger: Logger;
  exit: (code: number) => void;
  signals?: NodeJS.Signals[];
}): () => void {
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) {
      opts.logger.warn({ signal }, 'second signal during shutdown: exiting now');
      opts.exit(130);
      return;
    }
    started = true;
    opts.logger.info({ signal }, 'signal received');
    opts.shutdown().then(
      () => opts.exit(0),
      (err: unknown) => {
        opts.logger.error({ err }, 'shutdown failed');
        opts.exit(1);
      },
    );
  };
  const signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
