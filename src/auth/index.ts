// Authentication and rate limiting: API key tokens, scopes, the route → scope table, the policy, the middleware.
export { createApiKey, type NewApiKey } from './create-api-key';
export {
  generateApiKeyToken,
  parseApiKeyToken,
  hashSecret,
  secretMatches,
  apiKeyIdOf,
  type ApiKeyToken,
} from './api-key-token';
export { SCOPES, parseScopes, grants, isScope, type Scope } from './scopes';
export { ROUTE_ACCESS, accessFor, type RouteRule, type RouteAccess, type AccessDecision } from './route-scopes';
export { resolveAuthPolicy, isLoopbackHost, type AuthMode, type AuthEnforcement, type AuthPolicy } from './auth-policy';
export { requireApiKey, authLocals, type ApiAuthOptions, type AuthenticatedKey } from './require-api-key';
export { rateLimitPerKey, type RateLimitSettings } from './rate-limit';
