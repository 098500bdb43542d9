// Reads a user's label descriptions for few-shot mode (--few-shot-prompts FILE), checked before anything trains.
import fs from 'node:fs';
import { z } from 'zod';
import { DataFileError } from '../../src/errors';
import { DEFAULT_FEW_SHOT_PROMPTS } from './default-prompts';

export interface FewShotPrompts {
  /** Statements of the positive class (unhappy, about to leave). */
  positive: readonly string[];
  negative: readonly string[];
}

const statements = z.array(z.string().trim().min(1, 'an empty statement')).min(1, 'at least one statement');
const promptsSchema = z.object({ positive: statements, negative: statements }).strict();

/** The default set when no file is given; else the file's, or a DataFileError naming the file and what is wrong. */
export function readFewShotPrompts(file: string | undefined): FewShotPrompts {
  if (file === undefined) return DEFAULT_FEW_SHOT_PROMPTS;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new DataFileError(`--few-shot-prompts ${file}: ${why}`, { file, field: 'few-shot-prompts' });
  }
  const parsed = promptsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataFileError(
      `--few-shot-prompts ${file}: ${issue.path.join('.') || 'the file'}: ${issue.message}; expected ` +
        '{"positive": ["an unhappy customer statement", …], "negative": ["a happy one", …]}',
      { file, field: 'few-shot-prompts' },
    );
  }
  return parsed.data;
}
