// eval:drivers — faithfulness (deletion test) and model passes per request of decomposed vs occlusion phrase drivers, as JSON.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUNDLE_FILES } from '../src/bundle';
import { deletionFaithfulness, explainDecomposed, readUseLiteTail } from '../src/explain';
import { createLogger } from '../src/logging';
import { loadReviews } from '../test/helpers/reviews';
import { heldOutRiskyReviews, openDriverEval } from './driver-eval';

const { values } = parseArgs({
  options: {
    bundle: { type: 'string', default: 'models/default' },
    limit: { type: 'string', default: '0' },
    seed: { type: 'string', default: '7' },
  },
});
const bundle = values.bundle;
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
const started = performance.now();
const ev = await openDriverEval(bundle, logger);
try {
  const reviews = (await loadReviews()).map((r) => r.review);
  const { heldOut, risky } = await heldOutRiskyReviews(ev, bundle, reviews);
  const limit = Number(values.limit);
  const texts = limit > 0 ? risky.slice(0, limit) : risky;
  const report = await deletionFaithfulness({
    texts,
    methods: ev.methods(),
    risk: (t) => ev.risk(t),
    seed: Number(values.seed),
  });
  // Measured on every held-out text, not only the risky ones: the tolerance must hold for whatever is explained.
  const selfCheck = await tailAgreement(heldOut);
  process.stdout.write(
    `${JSON.stringify(
      {
        bundle,
        modelFile: ev.modelFile,
        driverMethod: ev.drivers.method,
        data: {
          file: 'fixtures/data/fine_foods_train.csv',
          reviews: reviews.length,
          heldOut: heldOut.length,
          heldOutRule: "rows whose first maxTokens ids equal a text of the bundle's validation-set.json",
          riskyHeldOut: risky.length,
          highBand: ev.highBand,
          evaluated: texts.length,
        },
        faithfulness: report,
        selfCheck: {
          ...selfCheck,
          tolerance: ev.drivers.tolerance,
          // Driver requests of the faithfulness run: decomposed, or refused by the self-check and explained by occlusion.
          counts: ev.drivers.counts,
          fallbackRate:
            ev.drivers.counts.fallbacks / Math.max(ev.drivers.counts.decomposed + ev.drivers.counts.fallbacks, 1),
        },
        seconds: Math.round((performance.now() - started) / 100) / 10,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await ev.close();
}

/** |fp32 tail − served logit| per text (worst window): what the self-check tolerance is set from. */
async function tailAgreement(texts: string[]) {
  const read = await readUseLiteTail(path.join(bundle, BUNDLE_FILES.model));
  if ('missing' in read) return { available: false as const, reason: read.missing };
  const tail = read.typescript;
  const checks: number[] = [];
  for (const text of texts) {
    const [score] = await ev.engine.score([text], { tokenStates: true });
    const out = await explainDecomposed({
      engine: ev.engine,
      text,
      score,
      tail,
      aggregate: ev.engine.windowAggregate,
      tolerance: Infinity,
    });
    if (out.check !== undefined) checks.push(out.check);
  }
  checks.sort((a, b) => a - b);
  const q = (p: number) => checks[Math.min(checks.length - 1, Math.floor(p * checks.length))] ?? null;
  return {
    available: true as const,
    texts: checks.length,
    max: checks.at(-1) ?? null,
    p99: q(0.99),
    median: q(0.5),
    overTolerance: checks.filter((c) => c > ev.drivers.tolerance).length,
  };
}
