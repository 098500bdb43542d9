// Scores on PostgreSQL: per-customer history, the latest score, and the text-risk aggregates fusion consumes.
// The same function training uses, so served aggregates cannot drift from the ones the fusion model learnt on.
import { aggregateTextRisks } from '../../fuse/text-aggregates';
import { scoreParams, snippetChars } from '../input-params';
import type { Band, ScoreHistoryEntry, ScoreInput, ScoreRecord, TextRiskAggregates, TextSource } from '../records';
import type { ScoreRepository } from '../types';
import { blobToEmbedding, pageOf, requireId } from '../values';
import { translateConstraint } from './pg-errors';
import type { PgExecutor } from './pg-executor';

interface ScoreRow {
  id: number;
  text_id: string;
  model_version: string;
  risk: number;
  text_risk: number;
  tabular_risk: number | null;
  band: Band;
  drivers: unknown;
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
    drivers: row.drivers,
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

// Newest text first (seq breaks ties as SQLite's rowid does), then newest score.
const NEWEST_FIRST = 't.created_at DESC, t.seq DESC, s.created_at DESC, s.id DESC';

export class PgScoreRepository implements ScoreRepository {
  constructor(private readonly ex: PgExecutor) {}

  async insert(input: ScoreInput): Promise<number> {
    const p = scoreParams(input);
    try {
      const [row] = (
        await this.ex.statement<{ id: number }>(
          `INSERT INTO scores (text_id, model_version, risk, text_risk, tabular_risk, band, drivers, embedding,
                               tokens, rare_share, centroid_distance, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
          [
            p.textId,
            p.modelVersion,
            p.risk,
            p.textRisk,
            p.tabularRisk,
            p.band,
            p.drivers,
            p.embedding,
            p.tokens,
            p.rareShare,
            p.centroidDistance,
            p.createdAt,
          ],
        )
      ).rows;
      return row.id;
    } catch (e) {
      return translateConstraint(e, { missingReference: `text ${p.textId} does not exist`, field: 'textId' });
    }
  }

  async history(customerId: string, opts: { limit: number }): Promise<ScoreHistoryEntry[]> {
    requireId(customerId, 'customerId');
    const { limit } = pageOf(opts);
    // One character more than the snippet, so toHistoryEntry knows whether to mark the cut.
    const rows = await this.ex.rows<HistoryRow>(
      `SELECT s.text_id, t.source, t.created_at AS text_created_at, s.created_at, s.risk, s.text_risk, s.band,
              s.model_version, substr(COALESCE(t.text, t.snippet), 1, ${snippetChars + 1}) AS snippet
       FROM scores s JOIN texts t ON t.id = s.text_id
       WHERE t.customer_id = $1
       ORDER BY ${NEWEST_FIRST}
       LIMIT $2`,
      [customerId, limit],
    );
    return rows.map(toHistoryEntry);
  }

  async latestForCustomer(customerId: string): Promise<ScoreRecord | null> {
    requireId(customerId, 'customerId');
    const [row] = await this.ex.rows<ScoreRow>(
      `SELECT s.* FROM scores s JOIN texts t ON t.id = s.text_id
       WHERE t.customer_id = $1 ORDER BY ${NEWEST_FIRST} LIMIT 1`,
      [customerId],
    );
    return row ? toRecord(row) : null;
  }

  async textRiskAggregates(
    customerId: string,
    opts: { now: Date; halfLifeDays: number },
  ): Promise<TextRiskAggregates | null> {
    requireId(customerId, 'customerId');
    // Only each text's newest score; oldest first, because aggregateTextRisks breaks a time tie for the later row.
    const rows = await this.ex.rows<{ risk: number; createdAt: string }>(
      `SELECT risk, "createdAt" FROM (
         SELECT s.text_risk AS risk, t.created_at AS "createdAt", t.seq,
                ROW_NUMBER() OVER (PARTITION BY s.text_id ORDER BY s.created_at DESC, s.id DESC) AS n
         FROM scores s JOIN texts t ON t.id = s.text_id
         WHERE t.customer_id = $1) latest
       WHERE n = 1
       ORDER BY "createdAt", seq`,
      [customerId],
    );
    return aggregateTextRisks(rows, { now: opts?.now, halfLifeDays: opts?.halfLifeDays });
  }
}
