// Graceful shutdown on a real in-process HTTP server: drain in-flight requests, refuse new ones, cut at the timeout, then drainers in order.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exitOnSignals, GracefulShutdown, type Drainer } from '../../src/api/graceful-shutdown';
import { silentLogger } from '../../src/logging';

interface Harness {
  server: http.Server;
  port: number;
  /** Requests to /slow wait until this is called. */
  release: () => void;
  /** Resolves when a request to /slow has arrived. */
  arrived: Promise<void>;
}

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections();
});

async function harness(): Promise<Harness> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrivedResolve!: () => void;
  const arrived = new Promise<void>((r) => (arrivedResolve = r));
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      arrivedResolve();
      void released.then(() => res.end('done'));
      return;
    }
    res.end('quick');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, release, arrived };
}

/** A request on its own connection (no pooling), resolving with status and body or the socket error's code. */
function get(
  port: number,
  path: string,
  agent: http.Agent | false = false,
): Promise<{ status?: number; body?: string; error?: string; connection?: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body, connection: res.headers.connection }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

function recordingDrainers(order: string[], failing?: string): Drainer[] {
  return ['jobs', 'alerts', 'models', 'store'].map((name) => ({
    name,
    drain: async () => {
      order.push(name);
      if (name === failing) throw new Error(`${name} broke`);
    },
  }));
}

describe('GracefulShutdown', () => {
  it('lets an in-flight request finish, refuses new connections meanwhile, and runs the drainers after HTTP closed', async () => {
    const h = await harness();
    const order: string[] = [];
    const shutdown = GracefulShutdown.attach({
      server: h.server,
      timeoutMs: 60_000,
      drainers: recordingDrainers(order),
      logger: silentLogger(),
    });
    const inFlight = get(h.port, '/slow');
    await h.arrived;
    expect(shutdown.inFlightRequests).toBe(1);
    const done = shutdown.shutdown();
    expect(shutdown.shutdown()).toBe(done);
    expect(await get(h.port, '/quick')).toEqual({ error: 'ECONNREFUSED' });
    // Nothing is drained while a request still runs: the model and the store are still needed by it.
    await new Promise((r) => setTimeout(r, 30));
    expect(order).toEqual([]);
    h.release();
    expect(await inFlight).toMatchObject({ status: 200, body: 'done' });
    expect(await done).toEqual({ cutRequests: 0, failedDrainers: [] });
    expect(order).toEqual(['jobs', 'alerts', 'models', 'store']);
    expect(h.server.listening).toBe(false);
  });

  it('closes idle keep-alive connections instead of waiting for their timeout', async () => {
    const h = await harness();
    const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    expect(await get(h.port, '/quick', agent)).toMatchObject({ status: 200, body: 'quick' });
    const shutdown = GracefulShutdown.attach({
      server: h.server,
      timeoutMs: 60_000,
      drainers: [],
      logger: silentLogger(),
    });
    // Resolves only once every connection is gone; a pooled socket left open would hold it for the keep-alive timeout.
    expect(await shutdown.shutdown()).toEqual({ cutRequests: 0, failedDrainers: [] });
    agent.destroy();
  });

  it('cuts requests still running at the timeout, and drains anyway', async () => {
    const h = await harness();
    const order: string[] = [];
    const shutdown = GracefulShutdown.attach({
      server: h.server,
      timeoutMs: 50,
      drainers: recordingDrainers(order),
      logger: silentLogger(),
    });
    const stuck = get(h.port, '/slow');
    await h.arrived;
    expect(await shutdown.shutdown()).toEqual({ cutRequests: 1, failedDrainers: [] });
    expect((await stuck).error).toBe('ECONNRESET');
    expect(order).toEqual(['jobs', 'alerts', 'models', 'store']);
  });

  it('runs every drainer even when one fails, and reports which', async () => {
    const h = await harness();
    const order: string[] = [];
    const shutdown = GracefulShutdown.attach({
      server: h.server,
      timeoutMs: 1000,
      drainers: recordingDrainers(order, 'alerts'),
      logger: silentLogger(),
    });
    expect(await shutdown.shutdown()).toEqual({ cutRequests: 0, failedDrainers: ['alerts'] });
    expect(order).toEqual(['jobs', 'alerts', 'models', 'store']);
  });
});

describe('exitOnSignals', () => {
  it('starts the shutdown on the first signal, exits 0 when it is done, and exits at once on a second signal', async () => {
    let finish!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((r) => (finish = r)));
    const exits: number[] = [];
    const detach = exitOnSignals({
      shutdown,
      logger: silentLogger(),
      exit: (c) => exits.push(c),
      signals: ['SIGUSR2'],
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(shutdown).toHaveBeenCalledTimes(1);
      expect(exits).toEqual([]);
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(exits).toEqual([130]);
      expect(shutdown).toHaveBeenCalledTimes(1);
      finish();
      await new Promise((r) => setImmediate(r));
      expect(exits).toEqual([130, 0]);
    } finally {
      detach();
    }
  });

  it('exits 1 when the shutdown itself fails', async () => {
    const exits: number[] = [];
    const detach = exitOnSignals({
      shutdown: () => Promise.reject(new Error('x')),
      logger: silentLogger(),
      exit: (c) => exits.push(c),
      signals: ['SIGUSR2'],
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await new Promise((r) => setImmediate(r));
      expect(exits).toEqual([1]);
    } finally {
      detach();
    }
  });
});
