import type { Language, SaleType } from '../domain/language.js';
import { AppError } from '../errors.js';
import type { Scenario } from './schema.js';

/** What a picker or `scenarios list` shows; nothing the buyer keeps hidden. */
export type ScenarioSummary = {
  id: string;
  title: string;
  language: Language;
  sale: SaleType;
  difficulty: number;
  start: Scenario['start'];
  /** "name, role at company", with "at" in the scenario's language (på, hos, bij). */
  persona: string;
};

/** The loaded scenarios, looked up by id. */
export type ScenarioCatalog = {
  /** Sorted by language, then id. */
  all(): Scenario[];
  get(id: string): Scenario | undefined;
  /** Throws AppError('scenario_not_found') with the known ids in the message. */
  require(id: string): Scenario;
  summaries(): ScenarioSummary[];
};

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// The summary is shown to reps next to the scenario's title, so it reads in the scenario's language.
const AT: Record<Language, string> = { en: 'at', sv: 'på', da: 'hos', nl: 'bij' };

export const summarize = (s: Scenario): ScenarioSummary => ({
  id: s.id,
  title: s.title,
  language: s.language,
  sale: s.sale,
  difficulty: s.difficulty,
  start: s.start,
  persona: `${s.persona.name}, ${s.persona.role} ${AT[s.language]} ${s.persona.company}`,
});

/** Builds a catalog over validated scenarios (ids must be unique, as `loadScenarioFiles` guarantees). */
export function createCatalog(scenarios: readonly Scenario[]): ScenarioCatalog {
  const sorted = [...scenarios].sort((a, b) => compare(a.language, b.language) || compare(a.id, b.id));
  const byId = new Map<string, Scenario>();
  for (const s of sorted) {
    if (byId.has(s.id)) throw new AppError('scenario_invalid', `Duplicate scenario id "${s.id}".`);
    byId.set(s.id, s);
  }
  return {
    all: () => [...sorted],
    get: (id) => byId.get(id),
    require(id) {
      const found = byId.get(id);
      if (found) return found;
      const known = sorted.map((s) => s.id);
      throw new AppError(
        'scenario_not_found',
        known.length > 0
          ? `Unknown scenario "${id}". Known scenarios: ${known.join(', ')}.`
          : `Unknown scenario "${id}": no scenarios are loaded.`,
      );
    },
    summaries: () => sorted.map(summarize),
  };
}
