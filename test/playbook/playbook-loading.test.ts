import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { Playbook } from '../../src/playbook';

const action = { id: 'a', title: 'A', description: 'Do A', priority: 1 };
const rule = (when: object, extra: object = {}) => ({ id: 'r', when, action, ...extra });

function loadError(raw: unknown): ConfigError {
  try {
    Playbook.fromJSON(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected the playbook to be rejected');
}

describe('Playbook loading', () => {
  it('names the rule index and field of a bad regex, with the rule id', () => {
    const err = loadError({
      rules: [rule({ bandAtLeast: 'high' }), { ...rule({ driverMatches: ['ok', 'bill(('] }), id: 'price' }],
    });
    expect(err.field).toBe('rules[1].when.driverMatches[1]');
    expect(err.message).toMatch(
      /rules\[1\]\.when\.driverMatches\[1\]: Invalid regular expression: \/bill\(\(\/i.*\(rule "price"\)/,
    );
  });

  it('rejects an unknown band and lists the valid ones', () => {
    const err = loadError({ rules: [rule({ bandAtLeast: 'severe' })] });
    expect(err.field).toBe('rules[0].when.bandAtLeast');
    expect(err.message).toMatch(/medium.*high.*critical/);
  });

  it.each([
    [{ rules: [{ id: 'r', when: { bandAtLeast: 'high' } }] }, 'rules[0].action'],
    [{ rules: [rule({ bandAtLeast: 'high' }, { action: { ...action, title: undefined } })] }, 'rules[0].action.title'],
    [
      { rules: [rule({ bandAtLeast: 'high' }, { action: { ...action, priority: 'high' } })] },
      'rules[0].action.priority',
    ],
    [{ rules: [rule({ bandAtLeast: 'high' }, { action: { ...action, channel: 'sms' } })] }, 'rules[0].action.channel'],
    [{ rules: [rule({})] }, 'rules[0].when'],
    [{ rules: [rule({ bandAtleast: 'high' })] }, 'rules[0].when'],
    [{ rules: [rule({ riskAtLeast: 1.5 })] }, 'rules[0].when.riskAtLeast'],
    [{ rules: [rule({ valueAtLeast: { feature: 'spend' } })] }, 'rules[0].when.valueAtLeast.value'],
    [{ rules: [rule({ segment: [] })] }, 'rules[0].when.segment'],
    [{ rules: [] }, 'rules'],
    [{}, 'rules'],
  ])('rejects %j at %s', (raw, field) => {
    const err = loadError(raw);
    expect(err.field).toBe(field);
    expect(err.message).toContain(`${field}:`);
  });

  it('rejects duplicate rule ids, naming both places', () => {
    const err = loadError({ rules: [rule({ bandAtLeast: 'high' }), rule({ bandAtLeast: 'medium' })] });
    expect(err.field).toBe('rules[1].id');
    expect(err.message).toMatch(/duplicate rule id "r" \(also rules\[0\]\)/);
  });

  it('reports unreadable files and bad JSON with the file name', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'playbook-'));
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{ "rules": [');
    await expect(Playbook.fromFile(bad)).rejects.toThrow(/bad\.json is not valid JSON/);
    await expect(Playbook.fromFile(path.join(dir, 'none.json'))).rejects.toBeInstanceOf(ConfigError);
    const invalid = path.join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ rules: [rule({ bandAtLeast: 'extreme' })] }));
    const err = (await Playbook.fromFile(invalid).catch((e: unknown) => e)) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.file).toBe(invalid);
    expect(err.message).toContain('rules[0].when.bandAtLeast');
  });
});
