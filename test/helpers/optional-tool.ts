// Tests that need a system tool npm does not install (chromium, python3-onnx): skipped with the reason on a
// developer's machine, failed under CI=true, so a CI run without the tool can never pass by skipping quietly.
import { it } from 'vitest';

export interface OptionalTool<T> {
  /** What the probe found (a path, usually), or undefined when the tool is missing. */
  readonly found: T | undefined;
  /**
   * Declares a test that needs the tool: run when it is there, a failing test naming the tool under CI, and a
   * skipped test whose name carries the reason otherwise.
   */
  it(name: string, fn: (found: T) => Promise<void> | void, timeout?: number): void;
}

/** CI=true (or 1), as CI services and `.ci/run` set it. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value === 'true' || value === '1';
}

/** How tests get declared; vitest's own `it` unless a test of this helper records them instead. */
export interface TestDeclarer {
  test(name: string, fn: () => Promise<void> | void, timeout?: number): void;
  skip(name: string): void;
}

const VITEST: TestDeclarer = {
  test: (name, fn, timeout) => it(name, fn, timeout),
  skip: (name) => it.skip(name, () => {}),
};

/**
 * @param tool what is missing, for messages ("chromium")
 * @param found the probe's result; null and undefined both mean missing
 * @param missing why the tests cannot run and how to install the tool
 */
export function optionalTool<T>(
  tool: string,
  found: T | null | undefined,
  missing: string,
  opts: { env?: NodeJS.ProcessEnv; declare?: TestDeclarer } = {},
): OptionalTool<T> {
  const present = found ?? undefined;
  const ci = inCi(opts.env);
  const declare = opts.declare ?? VITEST;
  // One line per file, so a skip is visible in the run's output and not only in the summary counts.
  if (present === undefined) console.warn(`[${tool}] ${ci ? 'MISSING under CI=true' : 'SKIPPED'}: ${missing}`);
  return {
    found: present,
    it(name, fn, timeout) {
      if (present !== undefined) declare.test(name, () => fn(present), timeout);
      else if (ci)
        declare.test(name, () => {
          throw new Error(`${tool} is required when CI=true: ${missing}`);
        });
      else declare.skip(`${name} (skipped: ${missing})`);
    },
  };
}
