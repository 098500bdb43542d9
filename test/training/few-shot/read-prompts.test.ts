// --few-shot-prompts: the default set without a file; a user's file read and checked, bad ones refused naming the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../../src/errors';
import { DEFAULT_FEW_SHOT_PROMPTS } from '../../../training/few-shot/default-prompts';
import { readFewShotPrompts } from '../../../training/few-shot/read-prompts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prompts-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, body: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
};

describe('readFewShotPrompts', () => {
  it('gives the default set without a file, and a valid file as written', () => {
    expect(readFewShotPrompts(undefined)).toBe(DEFAULT_FEW_SHOT_PROMPTS);
    const file = write('ok.json', JSON.stringify({ positive: ['I will cancel.'], negative: ['Great support.'] }));
    expect(readFewShotPrompts(file)).toEqual({ positive: ['I will cancel.'], negative: ['Great support.'] });
  });

  it.each([
    ['missing.json', undefined, /missing\.json: no such file/],
    ['broken.json', '{"positive": [', /broken\.json: .*JSON/],
    ['no-negatives.json', '{"positive": ["I will cancel."]}', /no-negatives\.json: negative: .*expected/],
    ['empty-list.json', '{"positive": [], "negative": ["ok"]}', /empty-list\.json: positive: at least one statement/],
    ['blank.json', '{"positive": ["  "], "negative": ["ok"]}', /blank\.json: positive\.0: an empty statement/],
    ['extra.json', '{"positive": ["a"], "negative": ["b"], "neutral": ["c"]}', /extra\.json: .*neutral/],
  ])('refuses %s with a DataFileError naming the file', (name, body, message) => {
    const file = body === undefined ? path.join(dir, name) : write(name, body);
    expect(() => readFewShotPrompts(file)).toThrow(DataFileError);
    expect(() => readFewShotPrompts(file)).toThrow(message);
  });
});
