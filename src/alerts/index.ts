// Early-warning contract: rule evaluation, signed webhook delivery and the service that ties them to scoring.
export { AlertService, type AlertServiceOptions } from './alert-service';
export { conditionHolds, type ScoredEvent } from './evaluate-rules';
export {
  WebhookSender,
  signPayload,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type WebhookSenderOptions,
  type DeliveryResult,
} from './webhook-sender';
export { alertConditionSchema, alertActionSchema, type AlertCondition, type AlertAction } from './alert-schemas';
