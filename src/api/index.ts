// HTTP API contract: the app factory and its dependencies.
export { createApp, type AppDeps } from './create-app';
