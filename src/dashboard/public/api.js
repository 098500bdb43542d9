// Calls the churnscope API from the page: same origin only, with the API key from this tab's session when one is set.

const KEY_STORAGE = 'churnscope.apiKey';

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
  /** The server has no such route: the feature is not part of this deployment. */
  get missing() {
    return this.status === 404 && this.code === 'not_found' && /^no route/.test(this.message);
  }
  get needsKey() {
    return this.status === 401 || this.status === 403;
  }
}

export const apiKey = {
  get: () => sessionStorage.getItem(KEY_STORAGE) ?? '',
  set: (key) => (key ? sessionStorage.setItem(KEY_STORAGE, key) : sessionStorage.removeItem(KEY_STORAGE)),
};

/** Drops empty filter values so the server applies its defaults. */
export function queryString(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' };
  const key = apiKey.get();
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, `the server could not be reached (${e.message})`, 'network');
  }
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = json?.error;
    throw new ApiError(res.status, err?.message ?? `${method} ${path} answered ${res.status}`, err?.code);
  }
  return json;
}
