// Retention playbook contract: configurable rules that map a scored customer to the actions to take.
export { Playbook, type Recommendation } from './playbook';
export type { RecommendInput } from './match-rule';
export { parsePlaybook } from './parse-playbook';
export {
  playbookSchema,
  ACTION_CHANNELS,
  type PlaybookSpec,
  type PlaybookRule,
  type PlaybookAction,
  type RuleConditions,
  type ActionChannel,
} from './playbook-schema';
