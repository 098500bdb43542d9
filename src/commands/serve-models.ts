// Which model a starting server opens and records: on PostgreSQL the replicas' shared choice, not each one's --model.
import fs from 'node:fs';
import type { Config } from '../config';
import { ConfigError, ConflictError } from '../errors';
import type { Logger } from '../logging';
import type { ModelSource, ServingModel } from '../models';
import type { ModelRecord, ModelRepository, OpenedStore } from '../store';

/**
 * Which bundle to open first. On PostgreSQL the replicas agree on one active model: a starting replica adopts the
 * stored one when its models directory has it (else it starts on its own model and the follower reports the
 * mismatch). SQLite serves one process, whose --model is what serves.
 */
export async function startingModelDir(
  config: Pick<Config, 'modelDir'>,
  { store, kind }: Pick<OpenedStore, 'store' | 'kind'>,
  discovered: readonly ModelSource[],
  logger: Logger,
): Promise<string> {
  if (kind !== 'postgres') return config.modelDir;
  const stored = (await store.models.active())?.version;
  if (stored === undefined) return config.modelDir;
  const own = discovered.find((m) => m.version === stored);
  if (own) {
    logger.info({ version: stored, dir: own.dir }, 'adopting the active model stored by the other replicas');
    return own.dir;
  }
  return config.modelDir;
}

/**
 * Every bundle beside the served one becomes activatable; all are recorded in the models table. The served one is
 * recorded as active unless, on PostgreSQL, another version already is: that was chosen for every replica, and a
 * restart of one must not override it.
 */
export async function registerModels(
  { store, kind }: Pick<OpenedStore, 'store' | 'kind'>,
  known: readonly ModelSource[],
  initial: Pick<ServingModel, 'version'>,
): Promise<ModelSource[]> {
  const unique = [...new Map(known.map((m) => [m.version, m])).values()];
  for (const m of unique) {
    if (await store.models.get(m.version)) continue;
    try {
      await store.models.register({ version: m.version, path: m.dir, metrics: null });
    } catch (e) {
      // Another replica on the same database registered it between our look and our insert: that is fine.
      if (!(e instanceof ConflictError)) throw e;
    }
  }
  if (kind !== 'postgres' || (await store.models.active()) === null) await store.models.activate(initial.version);
  return unique;
}

/** config shadow.model: a bundle directory, or the version of a known (discovered) bundle. */
export function resolveShadowDir(model: string, known: readonly ModelSource[]): string {
  if (fs.existsSync(model) && fs.statSync(model).isDirectory()) return model;
  const found = known.find((m) => m.version === model);
  if (found) return found.dir;
  throw new ConfigError(
    `shadow.model "${model}" is neither a bundle directory nor a known version (${known.map((m) => m.version).join(', ') || 'none'})`,
    { field: 'shadow.model' },
  );
}

/**
 * The store's active model as the follower reads it, learning a version registered after start-up (e.g. promoted by
 * `churnscope retrain` from another process) into `known` when its bundle folder exists here, so the follower can
 * switch to it instead of reporting a mismatch.
 */
export function learningActiveModel(
  models: Pick<ModelRepository, 'active'>,
  known: ModelSource[],
): Pick<ModelRepository, 'active'> {
  return {
    async active(): Promise<ModelRecord | null> {
      const record = await models.active();
      if (record && !known.some((m) => m.version === record.version) && fs.existsSync(record.path))
        known.push({ version: record.version, dir: record.path });
      return record;
    },
  };
}
