import { expect } from 'vitest';
import type { Language } from '../../src/domain/language.js';
import { analyzeBuyerTurn, analyzeRepTurn } from '../../src/text/analyze.js';
import type { BuyerTurnAnalysis, RepTurnAnalysis } from '../../src/text/types.js';

/** A rep message, what the buyer said before it, and the parts of the analysis that must hold. */
export type RepCase = { text: string; before?: string[]; expect: Partial<RepTurnAnalysis> };
export type BuyerCase = { text: string; expect: Partial<BuyerTurnAnalysis> };

export const checkRep = (language: Language, c: RepCase): void => {
  const got = analyzeRepTurn(c.text, language, c.before ?? []);
  const picked = Object.fromEntries(Object.keys(c.expect).map((k) => [k, got[k as keyof RepTurnAnalysis]]));
  expect(picked, c.text).toEqual(c.expect);
};

export const checkBuyer = (language: Language, c: BuyerCase): void => {
  const got = analyzeBuyerTurn(c.text, language);
  const picked = Object.fromEntries(Object.keys(c.expect).map((k) => [k, got[k as keyof BuyerTurnAnalysis]]));
  expect(picked, c.text).toEqual(c.expect);
};
