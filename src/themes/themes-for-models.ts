// Wires a ThemesService to the served model: the active model embeds probe queries and sets the default threshold.
import { ChurnscopeError } from '../errors';
import type { Logger } from '../logging';
import type { ModelRegistry } from '../models';
import type { Store } from '../store';
import type { ThemeOptions } from './theme-options';
import { ThemesService } from './themes-service';

export function themesForModels(deps: {
  store: Store;
  models: ModelRegistry;
  logger: Logger;
  clock?: () => Date;
  options?: Partial<ThemeOptions>;
}): ThemesService {
  return new ThemesService({
    store: deps.store,
    logger: deps.logger,
    clock: deps.clock,
    options: deps.options,
    // The high band's edge is where the model's validation precision for "dissatisfied" reached 0.8: themes are about
    // texts that are clearly unhappy (at the medium edge, half of them are not, and their quotes read as praise).
    defaultMinRisk: () => deps.models.active().calibrator.thresholds.high,
    embed: async (text) => {
      const lease = deps.models.acquire();
      try {
        const [score] = await lease.model.engine.score([text]);
        return score.embedding;
      } catch (e) {
        // The engine names its own field ("text"); the caller sent "query".
        throw e instanceof ChurnscopeError && e.field ? e.withField('query') : e;
      } finally {
        lease.release();
      }
    },
  });
}
