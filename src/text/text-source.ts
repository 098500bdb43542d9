// What kind of text a customer wrote: the one list of sources, its schema and the default, shared by API, batch, training and store.
import { z } from 'zod';

export const TEXT_SOURCES = ['feedback', 'review', 'chat', 'ticket'] as const;
export type TextSource = (typeof TEXT_SOURCES)[number];
export const textSourceSchema = z.enum(TEXT_SOURCES);

/**
 * The source recorded when a caller does not say (API request, batch job, training file, themes import). One value on
 * every path, so that per-source metrics and drift mean the same thing wherever a text came in.
 */
export const DEFAULT_TEXT_SOURCE: TextSource = 'review';

export function isTextSource(value: unknown): value is TextSource {
  return typeof value === 'string' && (TEXT_SOURCES as readonly string[]).includes(value);
}
