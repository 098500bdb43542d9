// Issues a new API key: a fresh token for the caller to show once, and only its hash for the store.
import type { ApiKeyRecord, ApiKeyRepository } from '../store';
import { generateApiKeyToken, hashSecret } from './api-key-token';
import type { Scope } from './scopes';

export interface NewApiKey {
  name: string;
  scopes: Scope[];
  /** Requests per rate-limit window for this key; null/absent: the server's default. */
  rateLimit?: number | null;
}

export async function createApiKey(
  keys: Pick<ApiKeyRepository, 'create'>,
  input: NewApiKey,
): Promise<{ record: ApiKeyRecord; token: string }> {
  const { id, secret, token } = generateApiKeyToken();
  const record = await keys.create({
    id,
    name: input.name,
    scopes: input.scopes,
    rateLimit: input.rateLimit ?? null,
    hash: hashSecret(secret),
  });
  return { record, token };
}
