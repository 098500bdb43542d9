// The store's public contract: the Store interface, its record types, and the SQLite implementation to construct.
export { SqliteStore, type SqliteStoreOptions } from './store';
export type * from './types';
export type * from './records';
export type * from './dashboard-records';
export type * from './themes-records';
