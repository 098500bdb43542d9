// Model scores of texts: per-customer history, the latest score, and the text-risk aggregates fusion consumes.
import type { Statement } from 'better-sqlite3';
// The same function training uses, so served aggregates cannot drift from the ones the fusion model learnt on.
import { aggregateTextRisks } from '../../fuse/text-aggregates';
import type { Executor } from './executor';
import type { Band, ScoreHistoryEntry, ScoreInput, ScoreRecord, TextRiskAggregates, TextSource } from '../records';
import { translateConstraint } from './sqlite-errors';
import type { ScoreRepository } from '../types';
import { scoreParams, snippetChars } from '../input-params';
import { blobToEmbedding, fromJson, pageOf, requireId } from '../values';

interface ScoreRow {
  id: number;
  text_id: string;
  model_version: string;
  risk: number;
  text_risk: number;
  tabular_risk: number | null;
  band: Band;
  drivers: string;
  embedding: Buffer | null;
  created_at: string;
}

interface HistoryRow {
  text_id: string;
  source: TextSource;
  text_created_at: string;
  created_at: string;
  risk: number;
  text_risk: number;
  band: Band;
  model_version: string;
  snippet: string | null;
}

function toRecord(row: ScoreRow): ScoreRecord {
  return {
    id: row.id,
    textId: row.text_id,
    modelVersion: row.model_version,
    risk: row.risk,
    textRisk: row.text_risk,
    tabularRisk: row.tabular_risk,
    band: row.band,
    drivers: fromJson(row.drivers),
    embedding: blobToEmbedding(row.embedding),
    createdAt: row.created_at,
  };
}

function toHistoryEntry(row: HistoryRow): ScoreHistoryEntry {
  const { snippet } = row;
  return {
    textId: row.text_id,
    source: row.source,
    createdAt: row.text_created_at,
    scoredAt: row.created_at,
    risk: row.risk,
    textRisk: row.text_risk,
    band: row.band,
    modelVersion: row.model_version,
    snippet: snippet !== null && snippet.length > snippetChars ? `${snippet.slice(0, snippetChars)}…` : snippet,
  };
}

export class SqliteScoreRepository implements ScoreRepository {
  private readonly insertStmt: Statement;
  private readonly historyStmt: Statement<[string, number], HistoryRow>;
  private readonly latestStmt: Statement<[string], ScoreRow>;
  private readonly perTextStmt: Statement<[string], { risk: number; createdAt: string }>;

  constructor(private readonly ex: Executor) {
    const db = ex.db;
    this.insertStmt = db.prepare(`
      INSERT INTO scores (text_id, model_version, risk, text_risk, tabular_risk, band, drivers, embedding,
                          tokens, rare_share, centroid_distance, created_at)
      VALUES (@textId, @modelVersion, @risk, @textRisk, @tabularRisk, @band, @drivers, @embedding,
              @tokens, @rareShare, @centroidDistance, @createdAt)`);
    // One character more than the snippet so that toHistoryEntry knows whether to mark the cut. Texts stored
    // without their words (privacy.storeText 'none') show their redacted snippet instead.
    this.historyStmt = db.prepare(`
      SELECT s.text_id, t.source, t.created_at AS text_created_at, s.created_at, s.risk, s.text_risk, s.band,
             s.model_version, substr(COALESCE(t.text, t.snippet), 1, ${snippetChars + 1}) AS snippet
      FROM scores s JOIN texts t ON t.id = s.text_id
      WHERE t.customer_id = ?
      ORDER BY t.created_at DESC, t.rowid DESC, s.created_at DESC, s.id DESC
      LIMIT ?`);
    this.latestStmt = db.prepare(`
      SELECT s.* FROM scores s JOIN texts t ON t.id = s.text_id
      WHERE t.customer_id = ?
      ORDER BY t.created_at DESC, t.rowid DESC, s.created_at DESC, s.id DESC
      LIMIT 1`);
    // Only each text's newest score: re-scoring a text with a new model must not count it twice. Oldest first,
    // because aggregateTextRisks breaks a tie on time in favour of the later row.
    this.perTextStmt = db.prepare(`
      SELECT risk, createdAt FROM (
        SELECT s.text_risk AS risk, t.created_at AS createdAt, t.rowid AS seq,
               ROW_NUMBER() OVER (PARTITION BY s.text_id ORDER BY s.created_at DESC, s.id DESC) AS n
        FROM scores s JOIN texts t ON t.id = s.text_id
        WHERE t.customer_id = ?)
      WHERE n = 1
      ORDER BY createdAt, seq`);
  }

  async insert(input: ScoreInput): Promise<number> {
    const params = scoreParams(input);
    const { textId } = params;
    return this.ex.write(() => {
      try {
        return Number(this.insertStmt.run(params).lastInsertRowid);
      } catch (e) {
        return translateConstraint(e, { missingReference: `text ${textId} does not exist`, field: 'textId' });
      }
    });
  }

  async history(customerId: string, opts: { limit: number }): Promise<ScoreHistoryEntry[]> {
    requireId(customerId, 'customerId');
    const { limit } = pageOf(opts);
    return this.ex.read(() => this.historyStmt.all(customerId, limit).map(toHistoryEntry));
  }

  async latestForCustomer(customerId: string): Promise<ScoreRecord | null> {
    requireId(customerId, 'customerId');
    return this.ex.read(() => {
      const row = this.latestStmt.get(customerId);
      return row ? toRecord(row) : null;
    });
  }

  async textRiskAggregates(
    customerId: string,
    opts: { now: Date; halfLifeDays: number },
  ): Promise<TextRiskAggregates | null> {
    requireId(customerId, 'customerId');
    const rows = await this.ex.read(() => this.perTextStmt.all(customerId));
    return aggregateTextRisks(rows, { now: opts?.now, halfLifeDays: opts?.halfLifeDays });
  }
}
