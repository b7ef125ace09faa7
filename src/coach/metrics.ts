import { type Language, toLanguage } from '../domain/language.js';
import type { Transcript } from '../domain/transcript.js';
import {
  analyzeBuyerTurn,
  analyzeRepTurnInDetail,
  isSpecificWord,
  type RepTurnDetail,
  wordsRepSaidFirst,
} from '../text/analyze.js';
import { LEXICONS } from '../text/lexicons/index.js';
import { contentWords, sameStem, words } from '../text/tokenize.js';
import type { BuyerTurnAnalysis } from '../text/types.js';
import { type CoachContext, NO_CONTEXT } from './context.js';
import type { Metrics } from './feedback.js';

/** Specific words a buyer answer needs to count as revealing something. */
const REVEAL_MIN_WORDS = 3;

/** One turn with its analysis; `index` is the 0-based index into `transcript.turns`. */
export type AnalyzedTurn =
  | { index: number; role: 'rep'; text: string; rep: RepTurnDetail }
  | {
      index: number;
      role: 'buyer';
      text: string;
      buyer: BuyerTurnAnalysis;
      flatNoCounts: boolean;
      /** What the buyer revealed in answer to a discovery question: its specific words (none otherwise). */
      revealed: string[];
      /** A later rep turn takes up what this turn revealed, in the rep's own words. */
      used: boolean;
    };

/** What the rep did with what the buyer said, over the whole conversation. */
export type Listening = {
  /** Rep turns that build on something specific the buyer just said, in the rep's own words. */
  followUps: number;
  /** Rep turns that paste a buyer line back. */
  parrots: number;
  /** Buyer answers to discovery questions that revealed something specific… */
  answers: number;
  /** …and how many of them a later rep turn used. */
  used: number;
  /** Rep turns with a real recap (the buyer's needs in the rep's words, or in a drill, the summary's). */
  recaps: number;
  /**
   * The last close comes on the back of a product pitch (two or more pitch sentences in its turn or the one before)
   * or of a "recap" that sums up nothing the buyer said ("so to sum up: efficiency, scalability…"): the listening
   * stopped where the close began.
   */
  pitchedClose: boolean;
};

/** Pitch sentences in one turn that make it a presentation rather than a line about the product. */
const PITCH_SENTENCES = 2;
/** Words of statements that take up nothing the buyer said, before a close: a presentation. */
const PRESENTATION_WORDS = 45;
/** A recap takes up a buyer word every few words; a presentation, one in this many or fewer. */
const WORDS_PER_TAKEN_WORD = 12;

function pitchedClose(reps: readonly RepTurn[]): boolean {
  const last = reps.findLastIndex((r) => r.rep.close !== null);
  if (last < 0) return false;
  return reps.slice(Math.max(0, last - 1), last + 1).some((r) => {
    const before = r.rep.firstClose >= 0 ? r.rep.sentences.slice(0, r.rep.firstClose) : r.rep.sentences;
    const pitches = before.filter((s) => s.pitch).length;
    // A presentation: statements at length that take up little of what the buyer said (a recap is dense with it).
    const statements = before.filter((s) => !s.asks);
    const statementWords = statements.reduce((n, s) => n + words(s.text).length, 0);
    const taken = new Set(statements.flatMap((s) => s.specific)).size;
    const presented = taken * WORDS_PER_TAKEN_WORD < statementWords ? statementWords : 0;
    const emptyRecap = before.some((s) => s.recapMarker) && !r.rep.recapBeforeClose && !r.rep.recap;
    return pitches >= PITCH_SENTENCES || presented >= PRESENTATION_WORDS || emptyRecap;
  });
}

/**
 * Every turn analysed in order, each rep turn against the buyer's turns before it. In a close drill the summary of
 * the conversation so far counts as what the buyer said before the first turn.
 */
export function analyzeTranscript(
  transcript: Transcript,
  language: Language = toLanguage(transcript.language),
  context: CoachContext = NO_CONTEXT,
) {
  const lex = LEXICONS[language];
  const buyerSoFar: string[] = context.closeSummary ? [context.closeSummary] : [];
  const repSoFar: string[] = [];
  const soFar: Array<{ role: 'rep' | 'buyer'; text: string }> = context.closeSummary
    ? [{ role: 'buyer', text: context.closeSummary }]
    : [];
  let lastRep: RepTurnDetail | null = null;
  const turns: AnalyzedTurn[] = transcript.turns.map((turn, index) => {
    if (turn.role === 'rep') {
      const rep = analyzeRepTurnInDetail(turn.text, language, buyerSoFar, {
        previousRepTexts: repSoFar,
        repFirst: wordsRepSaidFirst(soFar, language),
        sale: transcript.sale,
      });
      repSoFar.push(turn.text);
      soFar.push(turn);
      lastRep = rep;
      return { index, role: 'rep', text: turn.text, rep };
    }
    buyerSoFar.push(turn.text);
    soFar.push(turn);
    const buyer = analyzeBuyerTurn(turn.text, language);
    // "No." in answer to "have you tried anything?" is an answer, not a refusal: a flat no answers a pitch or an ask.
    const prev: RepTurnDetail | null = lastRep;
    const flatNoCounts =
      buyer.flatNo &&
      (prev === null || prev.close !== null || prev.pitch || prev.pressure || prev.discoveryQuestions === 0);
    const repWords = wordsRepSaidFirst(soFar.slice(0, -1), language);
    const specific =
      prev !== null && (prev as RepTurnDetail).discoveryQuestions > 0
        ? [...new Set(contentWords(turn.text, lex.stopwords))].filter(
            (w) => isSpecificWord(w, lex) && !repWords.some((r) => sameStem(r, w)),
          )
        : [];
    // "Oh, it's fine, mostly." answers without revealing anything.
    const revealed = specific.length >= REVEAL_MIN_WORDS ? specific : [];
    return { index, role: 'buyer', text: turn.text, buyer, flatNoCounts, revealed, used: false };
  });
  // An answer is used when a later rep turn takes up one of its specific words in its own sentences.
  for (const t of turns) {
    if (t.role !== 'buyer' || t.revealed.length === 0) continue;
    t.used = turns.some(
      (r) =>
        r.role === 'rep' &&
        r.index > t.index &&
        !r.rep.parrot &&
        r.rep.usedWords.some((w) => t.revealed.some((x) => sameStem(x, w))),
    );
  }
  const reps = turns.filter((t): t is RepTurn => t.role === 'rep');
  const answers = turns.filter(
    (t): t is Extract<AnalyzedTurn, { role: 'buyer' }> => t.role === 'buyer' && t.revealed.length > 0,
  );
  const listening: Listening = {
    followUps: reps.filter((r) => r.rep.followUp !== null).length,
    parrots: reps.filter((r) => r.rep.parrot).length,
    answers: answers.length,
    used: answers.filter((t) => t.used).length,
    recaps: reps.filter((r) => r.rep.recap).length,
    pitchedClose: pitchedClose(reps),
  };
  return { language, turns, listening };
}

export type RepTurn = Extract<AnalyzedTurn, { role: 'rep' }>;
export const repTurns = (turns: readonly AnalyzedTurn[]): RepTurn[] =>
  turns.filter((t): t is RepTurn => t.role === 'rep');

/** The deterministic metrics of DESIGN.md, with the label definitions of transcripts/README.md. */
export function computeMetrics(transcript: Transcript, context: CoachContext = NO_CONTEXT): Metrics {
  return metricsOf(analyzeTranscript(transcript, undefined, context).turns);
}

export function metricsOf(turns: readonly AnalyzedTurn[]): Metrics {
  const reps = repTurns(turns);
  const buyers = turns.filter((t): t is Extract<AnalyzedTurn, { role: 'buyer' }> => t.role === 'buyer');
  const repWords = reps.reduce((n, t) => n + t.rep.words, 0);
  const allWords = repWords + buyers.reduce((n, t) => n + words(t.text).length, 0);

  const closes = reps.filter((t) => t.rep.close !== null);
  const finalClose = closes[closes.length - 1];
  let recapBeforeClose = false;
  if (finalClose) {
    const k = reps.indexOf(finalClose);
    const previous = k > 0 ? reps[k - 1] : undefined;
    recapBeforeClose = finalClose.rep.recapBeforeClose || (previous?.rep.recap ?? false);
  }

  return {
    repWordShare: allWords === 0 ? 0 : Math.round((repWords / allWords) * 1000) / 1000,
    repQuestions: reps.reduce((n, t) => n + t.rep.questions, 0),
    discoveryQuestions: reps.reduce((n, t) => n + t.rep.discoveryQuestions, 0),
    longestRepTurnWords: reps.reduce((n, t) => Math.max(n, t.rep.words), 0),
    closeAttempts: closes.length,
    finalCloseType: finalClose?.rep.close?.kind ?? 'none',
    recapBeforeClose,
    addedArgumentAfterClose: closes.some((t) => t.rep.addedArgumentAfterClose),
    pitchedBeforeDiscovery: pitchedBeforeDiscovery(reps),
    buyerFlatNo: buyers.some((t) => t.flatNoCounts),
    disguisedNo: buyers.some((t) => t.buyer.disguisedNo),
  };
}

/** A pitch before the first discovery question, or a pitch and no discovery question at all. */
function pitchedBeforeDiscovery(reps: readonly RepTurn[]): boolean {
  for (const t of reps) {
    if (t.rep.discoveryQuestions > 0) return t.rep.pitchBeforeDiscovery;
    if (t.rep.pitch) return true;
  }
  return false;
}
