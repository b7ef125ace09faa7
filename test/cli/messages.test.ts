import { describe, expect, it } from 'vitest';
import { MESSAGES, type Messages } from '../../src/i18n/messages.js';

/** The terminal's own lines (issue 12): each language has its own wording, with the same placeholders. */
const TERMINAL_KEYS = [
  'cliBuyerFailed',
  'cliHelp',
  'cliUnknownCommand',
  'cliDidYouMean',
  'cliCommandList',
  'cliNothingToRetry',
  'cliNotStored',
] as const satisfies readonly (keyof Messages)[];

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('terminal messages', () => {
  it.each(['sv', 'da', 'nl'] as const)('%s has its own wording of every terminal line', (language) => {
    for (const key of TERMINAL_KEYS) {
      const en = MESSAGES.en[key];
      const own = MESSAGES[language][key];
      expect({ key, same: own === en }).toEqual({ key, same: false });
      expect({ key, placeholders: placeholders(own) }).toEqual({ key, placeholders: placeholders(en) });
    }
  });

  it('names no setting in any language', () => {
    for (const t of Object.values(MESSAGES)) {
      for (const key of TERMINAL_KEYS) expect(t[key]).not.toMatch(/[A-Z]{2,}_[A-Z_]+/);
    }
  });
});
