// What a schema migration is, and the checks every implementation makes before applying its list.
import { ConfigError } from '../errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function assertOrdered(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (!Number.isSafeInteger(m.version) || m.version < 1 || (i > 0 && m.version <= list[i - 1].version)) {
      throw new ConfigError(`migration versions must be positive and strictly increasing (at "${m.name}")`);
    }
  });
}

export function latestVersion(list: readonly Migration[]): number {
  return list.length === 0 ? 0 : list[list.length - 1].version;
}

/** Running older code on a newer schema could silently drop columns it does not know; refuse instead. */
export function newerSchemaError(found: number, known: number): ConfigError {
  return new ConfigError(
    `the database schema is version ${found}, newer than the ${known} this churnscope knows; ` +
      'upgrade churnscope or point it at another database',
    { field: 'dbPath' },
  );
}
