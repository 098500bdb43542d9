// `churnscope themes` from a database and from a CSV file: the table on stdout, the JSON file, and refused flags.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { themesCommand, type ThemesFlags } from '../../src/commands/themes';
import { ConfigError, ValidationError } from '../../src/errors';
import { silentLogger } from '../../src/logging';
import { SqliteStore } from '../../src/store';
import type { ThemesResult } from '../../src/themes';
import { loadReviews } from '../helpers/reviews';
import { tempDir } from '../store/temp-store';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function folder(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  return dir;
}

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  return { stream: new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) }), text: () => out };
}

const flags = (f: Partial<ThemesFlags>): ThemesFlags => ({ textCol: 'text', out: 'themes.json', ...f });

/** Two tight groups of texts with their own words, stored with 4-d embeddings as the service would. */
async function seededDb(dir: string): Promise<string> {
  const file = path.join(dir, 'service.db');
  const store = await SqliteStore.create({ path: file, logger: silentLogger() });
  for (let i = 0; i < 24; i++) {
    const group = i % 2;
    const embedding = Float32Array.from([group ? 0 : 1, group ? 1 : 0, 0.05 * (i % 3), 0.05 * (i % 5)]);
    const norm = Math.hypot(...embedding);
    await store.texts.insert({
      id: `t${i}`,
      source: 'ticket',
      text: group ? `parcel arrived damaged box crushed ${i}` : `invoice charged twice refund missing ${i}`,
      hash: `h${i}`,
      createdAt: '2024-05-06T10:00:00Z',
    });
    await store.scores.insert({
      textId: `t${i}`,
      modelVersion: 'v',
      risk: 0.9,
      textRisk: 0.9,
      tabularRisk: null,
      band: 'critical',
      drivers: null,
      embedding: embedding.map((v) => v / norm),
      createdAt: '2024-05-06T10:00:00Z',
    });
  }
  await store.dispose();
  return file;
}

describe('churnscope themes', () => {
  it('--db: prints a table of the themes and writes them as JSON', async () => {
    const dir = await folder();
    const out = path.join(dir, 'themes.json');
    const stdout = capture();
    await themesCommand(flags({ db: await seededDb(dir), out }), { stdout: stdout.stream, logger: silentLogger() });
    const written = JSON.parse(await readFile(out, 'utf8')) as ThemesResult;
    expect(written.dissatisfiedTexts).toBe(24);
    expect(written.themes.length).toBeGreaterThanOrEqual(2);
    const words = written.themes.map((t) => t.keywords.join(' '));
    expect(words.some((w) => w.includes('parcel'))).toBe(true);
    expect(words.some((w) => w.includes('invoice'))).toBe(true);
    expect(stdout.text()).toContain(`themes over 24 dissatisfied texts of 24`);
    expect(stdout.text()).toContain(written.themes[0].keywords.join(', '));
    expect(stdout.text()).toContain(`written to ${out}`);
  });

  it('--in: embeds a CSV of real reviews with the bundled model and themes them', async () => {
    const dir = await folder();
    const reviews = (await loadReviews()).filter((r) => r.score === 'other').slice(0, 60);
    const csv = path.join(dir, 'scored.csv');
    await writeFile(csv, `review\n${reviews.map((r) => `"${r.review.replaceAll('"', '""')}"`).join('\n')}\n`);
    const out = path.join(dir, 'themes.json');
    await themesCommand(flags({ in: csv, textCol: 'review', minRisk: 0, out }), {
      stdout: capture().stream,
      logger: silentLogger(),
    });
    const written = JSON.parse(await readFile(out, 'utf8')) as ThemesResult;
    expect(written).toMatchObject({ totalTexts: 60, dissatisfiedTexts: 60, filters: { minRisk: 0 } });
    expect(written.themes.length).toBeGreaterThanOrEqual(2);
    expect(written.themes.reduce((s, t) => s + t.size, 0)).toBe(Math.round(60 * (1 - written.unassignedShare)));
  });

  it('refuses both or neither of --db and --in, a missing database, and bad filters', async () => {
    const io = { stdout: capture().stream, logger: silentLogger() };
    await expect(themesCommand(flags({}), io)).rejects.toBeInstanceOf(ConfigError);
    await expect(themesCommand(flags({ db: 'a.db', in: 'b.csv' }), io)).rejects.toBeInstanceOf(ConfigError);
    await expect(themesCommand(flags({ db: path.join(await folder(), 'none.db') }), io)).rejects.toThrow(/not found/);
    const db = await seededDb(await folder());
    await expect(themesCommand(flags({ db, source: 'email' }), io)).rejects.toBeInstanceOf(ValidationError);
    await expect(themesCommand(flags({ db, minRisk: 3 }), io)).rejects.toThrow(/minRisk/);
  });
});
