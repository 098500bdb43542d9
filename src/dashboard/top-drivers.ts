// Turns a score's stored drivers ({ phrases, features }) into the short list a person reads: what pushed risk up most.

export interface DriverItem {
  kind: 'phrase' | 'feature';
  /** The phrase as written, or the feature's name. */
  label: string;
  /** Phrases: risk minus risk without the phrase. Features: log-odds added by the feature. */
  weight: number;
  /** The feature's value as the model read it; absent for phrases. */
  value?: string | number | null;
}

interface StoredDrivers {
  phrases?: unknown;
  features?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Stored JSON comes from whatever model version scored the text, so anything not shaped like a driver is skipped
 * rather than trusted. Only drivers that raise risk are kept, strongest first.
 */
export function topDrivers(stored: unknown, opts: { phrases?: number; features?: number } = {}): DriverItem[] {
  const drivers: StoredDrivers = isObject(stored) ? stored : {};
  const phrases = (Array.isArray(drivers.phrases) ? drivers.phrases : [])
    .filter(
      (p): p is { text: string; weight: number } =>
        isObject(p) && typeof p.text === 'string' && typeof p.weight === 'number' && p.weight > 0,
    )
    .sort((a, b) => b.weight - a.weight)
    .slice(0, opts.phrases ?? 3)
    .map((p): DriverItem => ({ kind: 'phrase', label: p.text, weight: p.weight }));
  const features = (Array.isArray(drivers.features) ? drivers.features : [])
    .filter(
      (f): f is { feature: string; contribution: number; value?: unknown } =>
        isObject(f) && typeof f.feature === 'string' && typeof f.contribution === 'number' && f.contribution > 0,
    )
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, opts.features ?? 2)
    .map((f): DriverItem => ({
      kind: 'feature',
      label: f.feature,
      weight: f.contribution,
      value: typeof f.value === 'string' || typeof f.value === 'number' ? f.value : null,
    }));
  return [...phrases, ...features];
}
