// What the HTTP benchmarks share: starting a server as a child on a free port, waiting for /readyz, stopping it, timing.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const r1 = (x: number) => Math.round(x * 10) / 10;
export const r2 = (x: number) => Math.round(x * 100) / 100;
export const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** `[bench:name 12s] message` on stderr, so stdout stays one JSON document. */
export function benchLog(name: string): (msg: string) => void {
  const started = performance.now();
  return (msg) =>
    process.stderr.write(`[bench:${name} ${((performance.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);
}

export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerChild {
  child: ChildProcess;
  base: string;
  port: number;
  pid: number;
}

/** Every child a benchmark started: killed on exit, so no server is left holding the CPU. */
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));

export function runningChildren(): ChildProcess[] {
  return [...children];
}

/** Spawns `node <args(port)>` and resolves once GET /readyz answers 200 (within 120 s), or rejects if it exits. */
export async function startServer(
  name: string,
  args: (port: number) => string[],
  env: Record<string, string> = {},
): Promise<ServerChild> {
  const port = await freePort();
  const child = spawn(process.execPath, args(port), {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  // Child logs go to our stderr so stdout stays one JSON document.
  child.stdout?.pipe(process.stderr, { end: false });
  child.stderr?.pipe(process.stderr, { end: false });
  let exited = '';
  child.once('exit', (code, signal) => {
    children.delete(child);
    exited = `${name} exited early (${code ?? signal})`;
  });
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = performance.now() + 120_000; performance.now() < deadline; await sleep(250)) {
    if (exited) throw new Error(exited);
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, base, port, pid: child.pid! };
  }
  throw new Error(`${name} not ready within 120 s`);
}

/** SIGTERM (the real server drains on it), then SIGKILL after `graceMs`. */
export async function stopServer(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(force);
}
