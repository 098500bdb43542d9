// The store's public contract: the Store interface, its record types, and the one opener that picks an implementation.
export { openStore, openStoreAt, type OpenStoreOptions, type OpenedStore } from './open-store';
export { parseDbLocation, type DbLocation } from './db-location';
export { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store';
export { PostgresStore, type PostgresStoreOptions } from './postgres/postgres-store';
export type * from './types';
export type * from './records';
export type * from './dashboard-records';
export type * from './themes-records';
export type * from './drift-records';
