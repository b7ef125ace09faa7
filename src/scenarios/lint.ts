import { LEXICONS } from '../text/lexicons/index.js';
import type { Scenario } from './schema.js';

/** Words that say when or how, not what: a question holding one is not about any particular fact. */
const TIME_AND_MANNER: Record<Scenario['language'], readonly string[]> = {
  en: ['today', 'time', 'times', 'now', 'currently', 'when', 'how', 'day', 'days', 'moment', 'usually'],
  sv: ['idag', 'i dag', 'dag', 'tid', 'nu', 'när', 'hur', 'just nu', 'brukar', 'ofta'],
  da: ['i dag', 'idag', 'dag', 'tid', 'nu', 'hvornår', 'hvordan', 'lige nu', 'plejer', 'tit'],
  nl: ['vandaag', 'tijd', 'nu', 'wanneer', 'hoe', 'dag', 'momenteel', 'meestal', 'vaak'],
};

/** Would `scenarios lint` refuse this keyword for a scenario in this language? */
export function isRefusedKeyword(keyword: string, language: Scenario['language']): boolean {
  const k = keyword.trim().toLowerCase();
  return LEXICONS[language].stopwords.has(k) || TIME_AND_MANNER[language].includes(k) || k.length < 3;
}

export type LintIssue = { at: ReadonlyArray<string | number>; message: string };

/**
 * Checks a valid scenario for what the schema cannot see: hidden-fact keywords that are function words ("when",
 * "today") would hand a fact to any question that happens to contain them, whatever it asks about.
 */
export function lintScenario(scenario: Scenario): LintIssue[] {
  const lex = LEXICONS[scenario.language];
  const refused = new Set(TIME_AND_MANNER[scenario.language]);
  const issues: LintIssue[] = [];
  scenario.hidden_facts.forEach((fact, i) => {
    fact.keywords.forEach((keyword, j) => {
      const k = keyword.trim().toLowerCase();
      if (lex.stopwords.has(k) || refused.has(k)) {
        issues.push({
          at: ['hidden_facts', i, 'keywords', j],
          message: `"${keyword}" is a function word: it would reveal "${fact.id}" to any question that contains it; use a word about the fact itself`,
        });
      } else if (k.length < 3) {
        issues.push({
          at: ['hidden_facts', i, 'keywords', j],
          message: `"${keyword}" is too short to say what a question is about; use a word of three letters or more`,
        });
      }
    });
  });
  return issues;
}
