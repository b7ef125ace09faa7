import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../src/domain/language.js';
import { analyzeRepTurnInDetail } from '../../src/text/analyze.js';

/**
 * Single rep turns written and labelled by a colleague, not by the author of the rules: natural closes of both
 * kinds and their near misses, discovery and its look-alikes (weather, football, "imagine if…"), follow-ups vs
 * parroting vs generic questions on the same buyer line, recaps vs pasted lines vs feature lists, in four
 * languages. `test/fixtures/judgement/readings.json`.
 */
type Expect = {
  close: 'order' | 'next_step' | 'none';
  discovery: number;
  parrot: boolean;
  followUp: boolean;
  recap: boolean;
  smallTalk: boolean;
  pitch: boolean;
  pressure: boolean;
};
type Item = { text: string; buyer?: string; sale: string; expect: Partial<Expect>; note: string };

const data = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../fixtures/judgement/readings.json'), 'utf8'),
) as Record<Language, Item[]>;

const read = (item: Item, language: Language): Expect => {
  // The buyer line is what was said just before; the rep has spoken once already (so it is no opening turn).
  const a = analyzeRepTurnInDetail(item.text, language, item.buyer ? [item.buyer] : [], {
    previousRepTexts: ['Hello.'],
  });
  return {
    close: a.close?.kind ?? 'none',
    discovery: a.discoveryQuestions,
    parrot: a.parrot,
    followUp: a.followUp !== null,
    recap: a.recap,
    smallTalk: a.sentences.some((s) => s.smallTalk),
    pitch: a.pitch,
    pressure: a.pressure,
  };
};

/**
 * Agreement per reading, over all four languages. A floor at the level reached, below 1 only where a reading needs
 * what rules cannot see: a recap judged from one buyer line without the conversation before it, a follow-up that
 * paraphrases without a single shared word.
 */
const FLOOR: Record<keyof Expect, number> = {
  close: 0.97,
  discovery: 0.95,
  parrot: 0.97,
  followUp: 0.9,
  recap: 0.88,
  smallTalk: 0.93,
  pitch: 0.92,
  pressure: 0.97,
};

describe('the reading of a rep turn, on a colleague’s labelled turns in en/sv/da/nl', () => {
  const rows = LANGUAGES.flatMap((language) =>
    data[language].map((item) => ({ language, item, got: read(item, language) })),
  );

  it('has at least 45 labelled turns per language', () => {
    for (const language of LANGUAGES) expect(data[language].length, language).toBeGreaterThanOrEqual(45);
  });

  it.each(Object.keys(FLOOR) as Array<keyof Expect>)('agrees on %s at or above its floor', (field) => {
    const labelled = rows.filter((r) => r.item.expect[field] !== undefined);
    const misses = labelled.filter((r) => r.got[field] !== r.item.expect[field]);
    const agreement = 1 - misses.length / labelled.length;
    expect(
      agreement,
      misses.map((m) => `[${m.language}] ${m.item.text} → ${String(m.got[field])}`).join('\n'),
    ).toBeGreaterThanOrEqual(FLOOR[field]);
  });

  it('reads the kind of every close exactly in every language', () => {
    for (const language of LANGUAGES) {
      const closes = rows.filter((r) => r.language === language && r.item.expect.close !== undefined);
      const wrong = closes.filter((r) => r.got.close !== r.item.expect.close).map((r) => r.item.text);
      expect(wrong.length / closes.length, `${language}: ${wrong.join(' | ')}`).toBeLessThanOrEqual(0.05);
    }
  });
});
