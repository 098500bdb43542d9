// profile:serve — `node --cpu-prof` of the real server under a closed loop ({text, explain:false}); prints JSON of the main thread's top self time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { readLabelledTexts } from '../src/ingest';
import { benchLog, sleep, startServer, stopServer } from './lib/bench-server';

const { values: flags } = parseArgs({
  options: {
    connections: { type: 'string', default: '1,16' },
    seconds: { type: 'string', default: '15' },
    top: { type: 'string', default: '25' },
    /** Keeps the .cpuprofile files (one per thread) in this folder, e.g. to open them in DevTools. */
    keep: { type: 'string' },
  },
});
const log = benchLog('profile-serve');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self milliseconds per function (name, file relative to the repo or node_modules, line), largest first. */
function selfTime(profile: CpuProfile, top: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const cf = byId.get(id)!;
    const file = cf.url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
    const key = `${cf.functionName || '(anonymous)'} ${file}${file ? `:${cf.lineNumber + 1}` : ''}`;
    ms.set(key, (ms.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const idle = ['(idle) ', '(program) ', '(garbage collector) '].reduce((s, k) => s + (ms.get(k) ?? 0), 0);
  return {
    profiledMs: Math.round(totalMs),
    idleMs: Math.round(ms.get('(idle) ') ?? 0),
    gcMs: Math.round(ms.get('(garbage collector) ') ?? 0),
    busyMs: Math.round(totalMs - idle),
    top: [...ms]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, t]) => ({ fn, selfMs: Math.round(t), share: Math.round((1000 * t) / totalMs) / 1000 })),
  };
}

async function profileAt(connections: number, seconds: number, bodies: string[]) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'churnscope-profile-'));
  const profDir = path.join(tmp, 'prof');
  const server = await startServer(
    'churnscope serve',
    (port) => [
      '--cpu-prof',
      `--cpu-prof-dir=${profDir}`,
      'bin/churnscope.js',
      'serve',
      '--port',
      String(port),
      '--db',
      path.join(tmp, 'profile.db'),
    ],
    { LOG_LEVEL: 'warn' },
  );
  let next = 0;
  const load = (duration: number) =>
    autocannon({
      url: server.base,
      connections,
      duration,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          path: '/v1/score',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
        },
      ],
    });
  try {
    await load(3); // warm-up (JIT, ORT arenas, SQLite pages); in the profile too, but a small share of it
    const res = await load(seconds);
    await sleep(500);
    await stopServer(server.child, 20_000);
    // The main thread's profile is the one with the most samples (workers mostly wait in native ORT calls).
    const profiles = fs
      .readdirSync(profDir)
      .map((f) => JSON.parse(fs.readFileSync(path.join(profDir, f), 'utf8')) as CpuProfile)
      .sort((a, b) => b.samples.length - a.samples.length);
    const main = profiles.find((p) => p.nodes.some((n) => n.callFrame.url.includes('/src/api/'))) ?? profiles[0];
    if (flags.keep) fs.cpSync(profDir, path.join(flags.keep, `c${connections}`), { recursive: true });
    return {
      connections,
      seconds,
      requestsPerSecond: Math.round((10 * res['2xx']) / res.duration) / 10,
      latencyMs: { p50: res.latency.p50, p99: res.latency.p99 },
      non2xx: res.non2xx,
      mainThread: selfTime(main, Number(flags.top)),
    };
  } finally {
    await stopServer(server.child);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const rows = (
  await readLabelledTexts({
    file: 'fixtures/data/fine_foods_train.csv',
    textCol: 'review',
    labelCol: 'score',
    positive: ['other'],
  })
).rows;
const bodies = rows.slice(0, 500).map((r) => JSON.stringify({ text: r.text, explain: false }));
const runs = [];
for (const c of flags.connections.split(',').map(Number)) {
  log(`${c} connection(s) for ${flags.seconds} s under --cpu-prof`);
  runs.push(await profileAt(c, Number(flags.seconds), bodies));
}
process.stdout.write(
  `${JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version }, model: 'models/default', runs }, null, 2)}\n`,
);
