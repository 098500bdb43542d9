// API key tokens: "csk_<id>_<secret>", generated from crypto.randomBytes; only the SHA-256 of the secret is kept.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'csk';
const ID_BYTES = 8;
const SECRET_BYTES = 32;
const TOKEN = /^csk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyToken {
  /** Public: shown in listings, used to revoke. */
  id: string;
  /** 256 random bits; shown once at creation. */
  secret: string;
  /** What the client sends after "Bearer ". */
  token: string;
}

export function generateApiKeyToken(): ApiKeyToken {
  const id = randomBytes(ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { id, secret, token: `${PREFIX}_${id}_${secret}` };
}

/** null when the text is not shaped like a churnscope key (so it cannot be one). */
export function parseApiKeyToken(token: string): { id: string; secret: string } | null {
  const m = TOKEN.exec(token);
  return m ? { id: m[1], secret: m[2] } : null;
}

/**
 * A fast hash suffices: the secret has 256 bits of entropy, so there is nothing to brute-force that a slow
 * password hash would protect, and verification stays cheap enough to run on every request.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of the presented secret's hash with the stored one. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** Accepts a key id or a full/partial token ("csk_<id>" or "csk_<id>_<secret>") and returns the id. */
export function apiKeyIdOf(text: string): string {
  const m = /^(?:csk_)?([0-9a-f]{16})(?:_.*)?$/.exec(text.trim());
  return m ? m[1] : text.trim();
}
