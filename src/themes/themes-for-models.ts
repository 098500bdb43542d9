// Wires a ThemesService to the served model: the active model embeds probe queries and sets the default threshold.
import { ChurnscopeError } from '../errors';
import type { Logger } from '../logging';
import type { ModelRegistry } from '../models';
import type { Store } from '../store';
import type { ThemeOptions } from './theme-options';
import { ThemesService } from './themes-service';

export function themesForModels(deps: { store: Store; models: ModelRegistry; logger: Logger; clock?: () => Date; options?: Partial<ThemeOptions> }): ThemesService {
  return new ThemesService({
    store: deps.store,
    logger: deps.logger,
    clock: deps.clock,
    options: deps.options,
    // The medium band's edge is where the model's precision for "dissatisfied" reached its validation target.
    defaultMinRisk: () => deps.models.active().calibrator.thresholds.medium,
    embed: async (text) => {
      try {
        const [score] = await deps.models.active().engine.score([text]);
        return score.embedding;
      } catch (e) {
        // The engine names its own field ("text"); the caller sent "query".
        throw e instanceof ChurnscopeError && e.field ? e.withField('query') : e;
      }
    },
  });
}
