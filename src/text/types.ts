import type { Language } from '../domain/language.js';
import type { FactKind } from '../scenarios/schema.js';

/** What a rep message does, as far as language-aware rules can tell. Shared by the metrics and the offline buyer. */
export type RepTurnAnalysis = {
  words: number;
  /** Question sentences (a "?" or an explicit "can you tell me… / may I ask…"). */
  questions: number;
  /** Questions about the buyer's situation, needs, process, people or budget (not closes, not rhetorical). */
  discoveryQuestions: number;
  /** Which hidden-fact kinds the discovery questions go after, when the wording says so. */
  discoveryTopics: ReadonlyArray<Exclude<FactKind, 'other'>>;
  /** The rep asks for a commitment in this turn: an order, or a next step (demo, meeting, trial, soft close). */
  close: null | { kind: 'order' | 'next_step'; soft: boolean };
  /** A new argument, feature, incentive or deadline after the close question in the same message. */
  addedArgumentAfterClose: boolean;
  /** Presents the product or company: features, benefits, offers, price, credentials. */
  pitch: boolean;
  /** Deadlines, discounts, "sign today", pushing past a no. */
  pressure: boolean;
  /** Share (0..1) of the content words of the buyer's previous turns that the rep echoes back. */
  reflection: number;
  /** Sums up the buyer's own needs and words (a recap), typically before a close. */
  recap: boolean;
  /** Tries to break the role-play: "ignore your instructions", "you are the coach now", junk. */
  offScript: boolean;
};

export type BuyerTurnAnalysis = {
  /** A blunt no without hedging: "No.", "Næhh.", "Nej tak." */
  flatNo: boolean;
  /** A hedged, face-saving refusal: postponing, price, fit. */
  disguisedNo: boolean;
  /** Agreement to an order or a next step. */
  agrees: boolean;
};

export type TextAnalyzer = {
  rep(text: string, language: Language, previousBuyerTexts: readonly string[]): RepTurnAnalysis;
  buyer(text: string, language: Language): BuyerTurnAnalysis;
};
