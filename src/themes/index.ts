// Themes contract: what dissatisfied customers talk about (clusters of stored embeddings) and probes of a hypothesis.
export { ThemesService, type ThemesServiceOptions, type ThemesFitResult } from './themes-service';
export { computeThemes, type ComputeThemesInput, type ThemeFit, type FittedTheme } from './compute-themes';
export { DEFAULT_THEME_OPTIONS, type ThemeOptions } from './theme-options';
export {
  themeFiltersSchema,
  themeFiltersQuerySchema,
  themeProbeSchema,
  parseThemeFilters,
  type ThemeProbeRequest,
} from './theme-filters';
export type { Theme, ThemeFilters, ThemeQuote, ThemesResult, ProbeResult, ProbeMatch, WeekCount } from './theme-types';
export { themesForModels } from './themes-for-models';
export { storeTextsFile, type StoreTextsFileOptions } from './store-texts-file';
export { formatThemesTable } from './format-themes';
