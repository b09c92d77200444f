import type { PlanFacts } from './core/requestPlan';
import type { ModelRegistry } from './modelRegistry';
import { readSettings } from './settings';
import type { UsageService } from './usage';

/** What a request plan knows, read once when the plan is made: the settings now, the models, today's quotas. */
export function planFacts(models: ModelRegistry, usage: UsageService): PlanFacts {
  return {
    settings: readSettings(),
    modelInfo: (model) => models.info(model),
    chatModels: () => models.catalog(),
    isExhausted: (model) => usage.ledger.isExhausted(model),
  };
}
