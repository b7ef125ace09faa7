import type { Language } from '../domain/language.js';
import { anyMatch, COMMON, type Lexicon, TOPICS, type Topic } from './lexicon.js';
import { LEXICONS } from './lexicons/index.js';
import { contentWords, echoed, normalize, type Sentence, splitSentences, words } from './tokenize.js';
import type { BuyerTurnAnalysis, RepTurnAnalysis, TextAnalyzer } from './types.js';

export type CloseKind = 'order' | 'next_step';

/** What one sentence of a rep message does. */
export type SentenceAnalysis = Sentence & {
  /** Counts as a question sentence ("?" or an explicit "can you tell me…"). */
  asks: boolean;
  discovery: boolean;
  topics: Topic[];
  close: null | { kind: CloseKind; soft: boolean };
  pitch: boolean;
  pressure: boolean;
  recapMarker: boolean;
  courtesy: boolean;
  /** Content words of the buyer's earlier turns that this sentence echoes. */
  echoes: string[];
};

/** The turn-level analysis plus the sentence-level detail the metrics and the coach's evidence need. */
export type RepTurnDetail = RepTurnAnalysis & {
  sentences: SentenceAnalysis[];
  /** Index into `sentences` of the first close question, or -1. */
  firstClose: number;
  /** Index into `sentences` of the last close question, or -1. */
  lastClose: number;
  /** A pitch comes before this turn's first discovery question (or the turn pitches and asks nothing). */
  pitchBeforeDiscovery: boolean;
  /** A recap of the buyer's own words before the first close question of the turn (the whole turn without one). */
  recapBeforeClose: boolean;
  /** Sentences after a close question that add an argument, feature, incentive or deadline. */
  addedAfterClose: SentenceAnalysis[];
  /** Distinct buyer content words this turn echoes. */
  echoedWords: string[];
};

/** Echoed buyer words needed, with a recap marker, for a recap to count ("so, in your words: …"). */
const RECAP_ECHO_WITH_MARKER = 2;
/** Without a marker, a recap must echo this many buyer words, taken from at least two buyer turns… */
const RECAP_ECHO_WITHOUT_MARKER = 7;
/** …and be mostly the buyer's words: a feature monologue that drops a few of them is not a recap. */
const RECAP_DENSITY_WITHOUT_MARKER = 0.3;
/** An argument after the close needs at least this many words ("No pressure." is not one). */
const ADDED_ARGUMENT_MIN_WORDS = 3;
/** How far after "shall I…" the thing asked for may come. */
const CLOSE_WINDOW_WORDS = 12;

const TOKEN = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;

const globalCache = new WeakMap<RegExp, RegExp>();
const globalOf = (p: RegExp): RegExp => {
  let g = globalCache.get(p);
  if (!g) {
    g = new RegExp(p.source, 'giu');
    globalCache.set(p, g);
  }
  g.lastIndex = 0;
  return g;
};

/** The words right after an ask form, up to the first word that turns it into a request to talk ("…ask who…"). */
function askWindow(after: string, lex: Lexicon): string {
  let end = 0;
  let count = 0;
  for (const m of after.matchAll(TOKEN)) {
    if (count >= CLOSE_WINDOW_WORDS || anyMatch(lex.closeBreak, m[0])) break;
    end = m.index + m[0].length;
    count++;
  }
  return after.slice(0, end);
}

type CloseHit = { soft: boolean; schedule: boolean };

/** Is this question sentence a request for a commitment? `n` is the normalised sentence. */
function detectClose(n: string, lex: Lexicon): CloseHit | null {
  if (anyMatch(lex.softClose, n)) return { soft: true, schedule: false };
  if (anyMatch(lex.closeAgree, n)) return { soft: false, schedule: false };
  if (anyMatch(lex.scheduleFit, n) && anyMatch(lex.scheduleTime, n)) return { soft: false, schedule: true };
  for (const ask of lex.closeAsk) {
    for (const m of n.matchAll(globalOf(ask))) {
      const window = askWindow(n.slice(m.index + m[0].length), lex);
      if (window.length === 0) continue;
      if (
        anyMatch(lex.closeAction, window) ||
        anyMatch(lex.orderSignal, window) ||
        anyMatch(lex.nextStepSignal, window)
      ) {
        return { soft: false, schedule: false };
      }
      if (anyMatch(lex.scheduleTime, window)) return { soft: false, schedule: true };
    }
  }
  return null;
}

const signalKind = (n: string, lex: Lexicon): CloseKind | null => {
  if (anyMatch(lex.nextStepSignal, n)) return 'next_step';
  if (anyMatch(lex.orderSignal, n)) return 'order';
  return null;
};

/** What the close asks for: its own words first, then the proposal just before it in the same message. */
function closeKind(normalized: readonly string[], index: number, hit: CloseHit, lex: Lexicon): CloseKind {
  // "What is your impression of this conversation?" asks for the next step, whatever was proposed before it.
  if (hit.soft) return 'next_step';
  const own = signalKind(normalized[index]!, lex);
  if (own) return own;
  if (hit.schedule) return 'next_step';
  for (let i = index - 1; i >= 0; i--) {
    const k = signalKind(normalized[i]!, lex);
    if (k) return k;
  }
  // "Shall I arrange that for you?" with nothing else on the table asks for the order.
  return 'order';
}

const isJunk = (text: string): boolean => {
  const visible = text.replace(/\s+/g, '');
  if (visible.length === 0) return false;
  const letters = (visible.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) return true;
  if (letters / visible.length < 0.5) return true;
  return words(text).some((w) => w.length > 40);
};

/** Sentence-level analysis of a rep message; `previousBuyerTexts` are the buyer's turns so far, oldest first. */
export function analyzeRepTurnInDetail(
  text: string,
  language: Language,
  previousBuyerTexts: readonly string[],
): RepTurnDetail {
  const lex = LEXICONS[language];
  const buyerTurnsWords = previousBuyerTexts.map((t) => [...new Set(contentWords(t, lex.stopwords))]);
  const buyerWords = [...new Set(buyerTurnsWords.flat())];
  const raw = splitSentences(text);
  const normalized = raw.map((s) => normalize(s.text));

  const sentences: SentenceAnalysis[] = raw.map((s, i) => {
    const n = normalized[i]!;
    const wordCount = words(s.text).length;
    const asks = s.question || anyMatch(lex.explicitQuestion, n);
    const hit = asks ? detectClose(n, lex) : null;
    const close = hit ? { kind: closeKind(normalized, i, hit, lex), soft: hit.soft } : null;
    const deferral = anyMatch(lex.deferral, n);
    const notDiscovery =
      (wordCount <= 6 && anyMatch(lex.identityCheck, n)) ||
      anyMatch(lex.smallTalk, n) ||
      anyMatch(lex.checkBack, n) ||
      anyMatch(lex.opinionCheck, n) ||
      (anyMatch(lex.leading, n) && !deferral) ||
      wordCount < 2;
    const discovery = asks && !close && !notDiscovery;
    const pitch = !discovery && !deferral && (anyMatch(lex.pitch, n) || anyMatch(COMMON.pitch, n));
    return {
      ...s,
      asks,
      discovery,
      topics: discovery ? TOPICS.filter((t) => anyMatch(lex.topics[t], n)) : [],
      close,
      pitch,
      pressure: anyMatch(lex.pressure, n),
      recapMarker: anyMatch(lex.recapMarker, n),
      courtesy: anyMatch(lex.courtesy, n) && wordCount <= 8,
      echoes: echoed(contentWords(s.text, lex.stopwords), buyerWords),
    };
  });

  const closeIdx = sentences.flatMap((s, i) => (s.close ? [i] : []));
  const firstClose = closeIdx[0] ?? -1;
  const lastClose = closeIdx[closeIdx.length - 1] ?? -1;
  const hard = closeIdx.filter((i) => !sentences[i]!.close!.soft);
  const decisive = hard.length > 0 ? hard[hard.length - 1]! : lastClose;
  const close = decisive >= 0 ? sentences[decisive]!.close : null;

  const addedAfterClose =
    firstClose < 0
      ? []
      : sentences
          .slice(firstClose + 1)
          .filter(
            (s) =>
              !s.close &&
              !s.courtesy &&
              words(s.text).length >= ADDED_ARGUMENT_MIN_WORDS &&
              (!s.asks || s.pitch || s.pressure),
          );

  const recapIn = (part: readonly SentenceAnalysis[]): boolean => {
    const echoes = [...new Set(part.flatMap((s) => s.echoes))];
    if (part.some((s) => s.recapMarker) && echoes.length >= RECAP_ECHO_WITH_MARKER) return true;
    const fromTurns = buyerTurnsWords.filter((tw) => tw.some((w) => echoes.includes(w))).length;
    const own = new Set(part.flatMap((s) => contentWords(s.text, lex.stopwords))).size;
    return (
      echoes.length >= RECAP_ECHO_WITHOUT_MARKER &&
      fromTurns >= 2 &&
      echoes.length / Math.max(own, 1) >= RECAP_DENSITY_WITHOUT_MARKER
    );
  };

  const firstDiscovery = sentences.findIndex((s) => s.discovery);
  const firstPitch = sentences.findIndex((s) => s.pitch);
  const echoedWords = [...new Set(sentences.flatMap((s) => s.echoes))];
  const lastBuyer = previousBuyerTexts[previousBuyerTexts.length - 1];
  const pushesPastNo =
    close !== null &&
    lastBuyer !== undefined &&
    (() => {
      const b = analyzeBuyerTurn(lastBuyer, language);
      return b.flatNo || b.disguisedNo;
    })();

  return {
    words: words(text).length,
    questions: sentences.filter((s) => s.asks).length,
    discoveryQuestions: sentences.filter((s) => s.discovery).length,
    discoveryTopics: [...new Set(sentences.flatMap((s) => s.topics))],
    close,
    addedArgumentAfterClose: addedAfterClose.length > 0,
    pitch: firstPitch >= 0,
    pressure: sentences.some((s) => s.pressure) || pushesPastNo,
    reflection: buyerWords.length === 0 ? 0 : echoedWords.length / buyerWords.length,
    recap: recapIn(sentences),
    offScript:
      isJunk(text) ||
      anyMatch(lex.offScript, normalize(text)) ||
      // Attempts to break the role-play are often in English whatever the scenario's language.
      anyMatch(COMMON.offScript, normalize(text)),
    sentences,
    firstClose,
    lastClose,
    pitchBeforeDiscovery: firstPitch >= 0 && (firstDiscovery < 0 || firstPitch < firstDiscovery),
    recapBeforeClose: recapIn(firstClose >= 0 ? sentences.slice(0, firstClose) : sentences),
    addedAfterClose,
    echoedWords,
  };
}

/** What a rep message does: questions, discovery, closes, pitch, pressure, reflection, recap, attempts to derail. */
export function analyzeRepTurn(
  text: string,
  language: Language,
  previousBuyerTexts: readonly string[],
): RepTurnAnalysis {
  const {
    sentences: _s,
    firstClose: _f,
    lastClose: _l,
    pitchBeforeDiscovery: _p,
    recapBeforeClose: _r,
    addedAfterClose: _a,
    echoedWords: _e,
    ...analysis
  } = analyzeRepTurnInDetail(text, language, previousBuyerTexts);
  return analysis;
}

const FILLER =
  /^(?:(?:hm+|ehm*|uh+m*|øh+|öh+|eh+|tja|nja|well|nou|tsja|altså|alltså|okay|ok|oké|okej)[,.]?\s+)+/iu;
const EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** What a buyer message says: a blunt no, a disguised no, or agreement. */
export function analyzeBuyerTurn(text: string, language: Language): BuyerTurnAnalysis {
  const lex = LEXICONS[language];
  const n = normalize(text);
  const first = splitSentences(text)[0];
  const head = first ? normalize(first.text).replace(EDGES, '').replace(FILLER, '').replace(EDGES, '') : '';
  const flatNo = head.length > 0 && anyMatch(lex.flatNo, head);
  const disguisedNo = anyMatch(lex.disguisedNo, n);
  return { flatNo, disguisedNo, agrees: !flatNo && !disguisedNo && anyMatch(lex.agree, n) };
}

/** The analyzer as a dependency, for code that takes one passed in. */
export const createTextAnalyzer = (): TextAnalyzer => ({ rep: analyzeRepTurn, buyer: analyzeBuyerTurn });
