// Privacy contract: PII redaction, the storage policy every stored text goes through, and the retention job.
export { prepareForStorage, type QuotedSpan, type StoredSpan, type StoredText } from './prepare-for-storage';
export { DEFAULT_PRIVACY_POLICY, STORE_TEXT_MODES, type PrivacyPolicy, type StoreTextMode } from './privacy-policy';
export { redact, mapOffset, PLACEHOLDERS, type Redaction, type Replacement } from './redact';
export type { PiiKind, PiiSpan } from './pii-span';
export { RetentionJob, retentionCutoff, type RetentionJobOptions, type RetentionRun } from './retention-job';
