// optionalTool: runs with the tool, skips with the reason without it, and fails without it under CI=true.
import { describe, expect, it, vi } from 'vitest';
import { inCi, optionalTool, type TestDeclarer } from './optional-tool';

/** Records declarations instead of registering them, and runs each declared body so its outcome can be checked. */
function recorder() {
  const declared: { name: string; kind: 'test' | 'skip'; run?: () => Promise<void> | void }[] = [];
  const declare: TestDeclarer = {
    test: (name, fn) => declared.push({ name, kind: 'test', run: fn }),
    skip: (name) => declared.push({ name, kind: 'skip' }),
  };
  return { declared, declare };
}

describe('optionalTool', () => {
  it('reads CI=true and CI=1 as CI, anything else as a developer machine', () => {
    expect(inCi({ CI: 'true' })).toBe(true);
    expect(inCi({ CI: '1' })).toBe(true);
    expect(inCi({ CI: 'false' })).toBe(false);
    expect(inCi({})).toBe(false);
  });

  it('runs the test with what the probe found when the tool is there', async () => {
    const { declared, declare } = recorder();
    const seen: string[] = [];
    optionalTool('chromium', '/usr/bin/chromium', 'no chromium', { env: { CI: 'true' }, declare }).it('draws', (p) => {
      seen.push(p);
    });
    expect(declared.map((d) => [d.name, d.kind])).toEqual([['draws', 'test']]);
    await declared[0].run?.();
    expect(seen).toEqual(['/usr/bin/chromium']);
  });

  it('skips with the reason in the name when the tool is missing outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { declared, declare } = recorder();
    const tool = optionalTool('python3-onnx', null, 'apt-get install python3-onnx', { env: {}, declare });
    tool.it('checks', () => {});
    expect(tool.found).toBeUndefined();
    expect(declared).toEqual([{ name: 'checks (skipped: apt-get install python3-onnx)', kind: 'skip' }]);
    expect(warn).toHaveBeenCalledWith('[python3-onnx] SKIPPED: apt-get install python3-onnx');
    warn.mockRestore();
  });

  it('declares a failing test naming the tool when it is missing under CI=true', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { declared, declare } = recorder();
    let ran = false;
    optionalTool('chromium', undefined, 'apt-get install chromium', { env: { CI: 'true' }, declare }).it(
      'draws',
      () => {
        ran = true;
      },
    );
    expect(declared.map((d) => [d.name, d.kind])).toEqual([['draws', 'test']]);
    await expect(Promise.resolve().then(() => declared[0].run?.())).rejects.toThrow(
      'chromium is required when CI=true: apt-get install chromium',
    );
    expect(ran).toBe(false);
    warn.mockRestore();
  });
});
