// The server's retrain jobs: the CLI's runRetrain against the served store, champion = the active model.
import path from 'node:path';
import type { RetrainRequest } from '../api/routes/retrain';
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { ModelRegistry, ModelSource } from '../models';
import { RetrainJobs, runRetrain } from '../retrain';
import type { Store } from '../store';

export interface ServeRetrainOptions {
  config: Config;
  store: Store;
  registry: ModelRegistry;
  /** The registry's activatable models: a promoted challenger is added, so this server can switch to it. */
  known: ModelSource[];
  logger: Logger;
  clock?: () => Date;
  /** Training options under the request's (tests: wasm backend, no int8, a temporary cache). */
  trainDefaults?: Record<string, unknown>;
}

export function serveRetrainJobs(o: ServeRetrainOptions): Promise<RetrainJobs<RetrainRequest>> {
  const modelsDir = o.config.modelsDir ?? path.dirname(o.config.modelDir);
  return RetrainJobs.create<RetrainRequest>({
    logger: o.logger,
    clock: o.clock,
    run: async (req, onPhase) => {
      const stamp = (o.clock ?? (() => new Date()))().toISOString().replace(/[-:.]/g, '');
      // Written straight into the models folder: a promoted challenger is then activatable where it lies.
      const out = path.join(modelsDir, `retrain-${stamp}`);
      const report = await runRetrain({
        store: o.store,
        out,
        since: req.since,
        baseData: [],
        heldBackFraction: req.heldBackFraction,
        championDir: o.registry.active().dir,
        defaultModelDir: o.config.modelDir,
        storeText: o.config.privacy.storeText,
        promote: req.promoteIfBetter ? { modelsDir } : undefined,
        train: { ...o.trainDefaults, mode: req.mode, seed: req.seed, epochs: req.epochs },
        engine: o.config.engine,
        logger: o.logger.child({ retrain: out }),
        onPhase,
      });
      if (report.promoted && report.promotedTo) {
        const version = report.challenger.version;
        // The follower may have learnt it from the store already.
        if (!o.known.some((m) => m.version === version)) o.known.push({ version, dir: report.promotedTo });
        await o.registry.activate(version);
      }
      return report;
    },
  });
}
