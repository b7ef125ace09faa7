import { describe, expect, it } from 'vitest';
import { da } from '../../src/text/lexicons/da.js';
import { contentWords, echoed, sameStem, splitSentences, words } from '../../src/text/tokenize.js';

describe('splitSentences', () => {
  it('splits at . ! ? and keeps offsets into the original text', () => {
    const text = 'Hej Lina! Vad planerar ni?  Berätta gärna.';
    const s = splitSentences(text);
    expect(s.map((x) => x.text)).toEqual(['Hej Lina!', 'Vad planerar ni?', 'Berätta gärna.']);
    for (const x of s) expect(text.slice(x.start, x.end)).toBe(x.text);
    expect(s.map((x) => x.question)).toEqual([false, true, false]);
  });

  it('does not split inside numbers, Danish ordinals or abbreviations', () => {
    expect(splitSentences('Det koster € 24.95 per måned, dvs. billigt.')).toHaveLength(1);
    expect(splitSentences('Skal jeg booke jer til den 3. maj?')).toHaveLength(1);
    expect(splitSentences('Kan vi starte den 1.?')).toHaveLength(1);
  });

  it('treats a line break as a sentence boundary and keeps stray punctuation with its sentence', () => {
    expect(splitSentences('First point\nSecond point').map((x) => x.text)).toEqual([
      'First point',
      'Second point',
    ]);
    expect(splitSentences('Really ?!').map((x) => x.text)).toEqual(['Really ?!']);
  });
});

describe('words and stems', () => {
  it('keeps Nordic and Dutch letters inside words', () => {
    expect(words('Næhh. Tillställning, geïnteresseerd – smørrebrød!')).toEqual([
      'næhh',
      'tillställning',
      'geïnteresseerd',
      'smørrebrød',
    ]);
  });

  it('drops stopwords and very short words but keeps numbers', () => {
    expect(contentWords('Vi har 40 biler, og de kører i Aarhus', da.stopwords)).toEqual([
      '40',
      'biler',
      'kører',
      'aarhus',
    ]);
  });

  it('matches inflections by prefix and rejects unrelated words', () => {
    expect(sameStem('calls', 'call')).toBe(true);
    expect(sameStem('packare', 'packar')).toBe(true);
    expect(sameStem('telematics', 'telephone')).toBe(false);
    expect(sameStem('van', 'vat')).toBe(false);
    expect(echoed(['spreadsheet', 'phone', 'calls'], ['spreadsheet', 'whatsapp', 'call'])).toEqual([
      'spreadsheet',
      'call',
    ]);
  });
});
