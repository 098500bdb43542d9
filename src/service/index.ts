// Service contract: the request-level orchestration the HTTP routes call.
export { scoreTexts, type ScoreTextsDeps, type ScoreResult } from './score-texts';
export type { ScoreRequestItem } from './score-request';
export { ShadowScorer, type ShadowScorerOptions } from './shadow-scorer';
export { CoalescedWrites, type CoalescedWritesOptions } from './coalesced-writes';
