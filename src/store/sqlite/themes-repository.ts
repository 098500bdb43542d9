// Themes known so far (id, centroid, label), so that a refit can give a recognised theme its old id.
import type { Statement } from 'better-sqlite3';
import type { Executor } from './executor';
import type { ThemeInput, ThemeRecord } from '../themes-records';
import type { ThemeRepository } from '../types';
import { themeRows } from '../admin-params';
import { blobToEmbedding, fromJson } from '../values';

interface Row {
  id: string;
  centroid: Buffer;
  label: string;
  keywords: string;
  created_at: string;
  updated_at: string;
}

export class SqliteThemeRepository implements ThemeRepository {
  private readonly listStmt: Statement<[], Row>;
  private readonly upsertStmt: Statement;

  constructor(private readonly ex: Executor) {
    this.listStmt = ex.db.prepare('SELECT * FROM themes ORDER BY created_at, id');
    this.upsertStmt = ex.db.prepare(`
      INSERT INTO themes (id, centroid, label, keywords, created_at, updated_at)
      VALUES (@id, @centroid, @label, @keywords, @now, @now)
      ON CONFLICT (id) DO UPDATE SET centroid = excluded.centroid, label = excluded.label,
        keywords = excluded.keywords, updated_at = excluded.updated_at`);
  }

  async list(): Promise<ThemeRecord[]> {
    return this.ex.read(() =>
      this.listStmt.all().map((r) => ({
        id: r.id,
        centroid: blobToEmbedding(r.centroid)!,
        label: r.label,
        keywords: fromJson(r.keywords) as string[],
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      })),
    );
  }

  async saveAll(themes: readonly ThemeInput[], at?: string | Date): Promise<void> {
    const rows = themeRows(themes, at);
    await this.ex.write(() => {
      for (const r of rows) this.upsertStmt.run(r);
    });
  }
}
