import type { Language } from '../domain/language.js';
import { anyMatch, COMMON, type Lexicon, TOPICS, type Topic } from './lexicon.js';
import { LEXICONS } from './lexicons/index.js';
import {
  contentWords,
  echoed,
  normalize,
  type Sentence,
  sameStem,
  splitSentences,
  words,
} from './tokenize.js';
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
  /** Small talk, weather, an identity check: talk, not discovery. */
  smallTalk: boolean;
  /** A question that sells rather than asks: "imagine if…", "how would it feel to…". */
  benefit: boolean;
  /** Content words of the buyer's earlier turns that this sentence echoes. */
  echoes: string[];
  /** Of those, the specific ones (not buying-process vocabulary, not first said by the rep). */
  specific: string[];
  /** Most of this sentence is copied from the buyer's lines (runs of words), not said in the rep's own words. */
  copied: boolean;
  /**
   * A statement that takes the buyer's last answer back as it is ("so what you're saying is <their words>"),
   * adding little of the rep's own: a mirror. It is listening only when what follows builds on it.
   */
  mirror: boolean;
  /** Opens with a mirror or recap formula ("so what you're saying is", "if I understand you correctly"). */
  mirrorMarked: boolean;
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
  /**
   * The turn copies most of a buyer line back ("So if I understand you correctly, <the buyer's words>"): it
   * earns nothing for listening, and the coach names it.
   */
  parrot: boolean;
  /** The sentence that builds on something specific the buyer just said, in the rep's own words, or null. */
  followUp: SentenceAnalysis | null;
  /** The specific buyer words this turn takes up in its own sentences (not copied ones). */
  usedWords: string[];
  /**
   * The turn mirrors the buyer's answer and then asks the next textbook question (a topic, none of the buyer's
   * words): the answer was repeated, not used. Counted as parroting.
   */
  mirrorThenMoveOn: boolean;
};

/** What else the reading of a rep turn may know: the rep's own earlier turns. */
export type RepTurnContext = {
  /** The rep's earlier turns, oldest first. */
  previousRepTexts?: readonly string[];
  /**
   * Words the rep said before the buyer did (see `wordsRepSaidFirst`): taking them back is no sign of listening.
   * Without it, every word of the rep's earlier turns counts as the rep's own.
   */
  repFirst?: readonly string[];
  /**
   * The kind of sale, when known: a close that names nothing ("shall we set that up together?") asks for the next
   * step in a complex sale and for the order in a simple one.
   */
  sale?: 'simple' | 'complex';
};

/** Share of a statement's content words, at most, that may be the rep's own for it to be a mirror without a marker. */
const MIRROR_NOVELTY = 0.34;
/**
 * Specific words of the buyer's last turn a statement without a marker must take back to be a mirror (with one,
 * a single word will do): "A yellow card." echoed back as a question's lead-in is active listening, not a mirror.
 */
const MIRROR_MIN_WORDS_UNMARKED = 4;
/** With a mirror marker ("so what you're saying is"), the share of the rep's own words it may have. */
const MIRROR_NOVELTY_WITH_MARKER = 0.8;

/** Specific buyer words needed, with a recap marker, for a recap to count ("so, in your words: …"). */
const RECAP_ECHO_WITH_MARKER = 2;
/** Without a marker, a recap must take up this many specific buyer words. */
const RECAP_ECHO_WITHOUT_MARKER = 4;
/** A run of this many words taken over in order from a buyer sentence is copying, not paraphrase. */
const COPY_RUN = 3;
/**
 * A buyer sentence this long (in words) or longer, taken over this completely, is pasted: parroting, not the
 * rep's own words. A recap may take up the buyer's phrases ("Dave wants lower fuel bills"); it does not paste
 * whole lines.
 */
const PASTE_MIN_WORDS = 4;
const PASTE_SHARE = 0.8;
/** Pasted sentences making up this share of a turn's words make it a parrot. */
const PARROT_SHARE = 0.4;
/** An argument after the close needs at least this many words ("No pressure." is not one). */
const ADDED_ARGUMENT_MIN_WORDS = 3;
/** The text with every match of the patterns blanked out. */
const stripMatches = (n: string, patterns: readonly RegExp[]): string =>
  patterns.reduce((t, p) => t.replace(globalOf(p), ' '), n);
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

/**
 * "Shall we fit sensors in one hall over the Easter break?": a joint proposal made concrete by a date, a season,
 * a period or a bounded scope, ending the rep's turn, asks for a commitment whatever its verb.
 */
function detectProposal(n: string, lex: Lexicon): CloseHit | null {
  for (const ask of lex.proposalAsk) {
    const m = n.match(ask);
    if (!m || m.index === undefined) continue;
    const window = askWindow(n.slice(m.index + m[0].length), lex);
    if (words(window).length >= 2 && anyMatch(lex.commitAnchor, n)) return { soft: false, schedule: true };
  }
  return null;
}

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

/** "What happened then?", "hoe ging dat toen?": a question about what was just said, whatever its words. */
const BACK_REFERENCE =
  /(?<![\p{L}\p{N}])(that|then|those|det där|den där|då|sedan|sen|det der|den der|dengang|bagefter|toen|daarna|daardoor|daarmee)(?![\p{L}\p{N}])/iu;

/** "Shall I set that up?": the close points back at something proposed before it. */
const POINTS_BACK =
  /(?<![\p{L}\p{N}])(that|it|this|those|them|so|det|den|dem|detta|dette|dat|het|dit|die|deze|dan|så)(?![\p{L}\p{N}])/iu;

/**
 * What the close asks for, read from what it asks: its own words first; a close that points back ("shall I set
 * that up?") takes the proposal made just before it in the same message, but never a recap's words (a recap that
 * mentions invoices does not turn a demo into an order).
 */
function closeKind(
  normalized: readonly string[],
  index: number,
  hit: CloseHit,
  lex: Lexicon,
  isRecap: (i: number) => boolean,
  sale?: 'simple' | 'complex',
): CloseKind {
  // "What is your impression of this conversation?" asks for the next step, whatever was proposed before it.
  if (hit.soft) return 'next_step';
  const sentence = normalized[index]!;
  const own = signalKind(sentence, lex);
  if (own) return own;
  if (hit.schedule) return 'next_step';
  if (POINTS_BACK.test(sentence)) {
    for (let i = index - 1; i >= 0; i--) {
      if (isRecap(i)) continue;
      const k = signalKind(normalized[i]!, lex);
      if (k) return k;
    }
  }
  // "Shall I arrange that for you?" with nothing else on the table asks for the order, in a complex sale for the
  // next step (what is proposed there is a step, not the whole deal).
  return sale === 'complex' ? 'next_step' : 'order';
}

const isJunk = (text: string): boolean => {
  const visible = text.replace(/\s+/g, '');
  if (visible.length === 0) return false;
  const letters = (visible.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) return true;
  if (letters / visible.length < 0.5) return true;
  return words(text).some((w) => w.length > 40);
};

/** Marks in `covered` the words of `source` that `target` takes over in runs of at least `COPY_RUN` words. */
function markCopiedRuns(source: readonly string[], target: readonly string[], covered: boolean[]): void {
  for (let i = 0; i < source.length; i++) {
    for (let j = 0; j < target.length; j++) {
      let k = 0;
      while (i + k < source.length && j + k < target.length && source[i + k] === target[j + k]) k++;
      if (k >= COPY_RUN) for (let x = i; x < i + k; x++) covered[x] = true;
    }
  }
}

/** The share of `source` (words) that `targets` take over in runs of at least `COPY_RUN` words. */
function copiedShare(source: readonly string[], targets: ReadonlyArray<readonly string[]>): number {
  if (source.length === 0) return 0;
  const covered = source.map(() => false);
  for (const t of targets) markCopiedRuns(source, t, covered);
  return covered.filter(Boolean).length / source.length;
}

/** "I"/"you", "we"/"you" and their forms: a pasted line that swaps them is still pasted. */
const PERSON: Record<Language, ReadonlySet<string>> = {
  en: new Set('i me my mine myself we us our ours you your yours yourself'.split(' ')),
  sv: new Set('jag mig min mitt mina vi oss vår vårt våra du dig din ditt dina ni er ert era'.split(' ')),
  da: new Set('jeg mig min mit mine vi os vores du dig din dit dine i jer jeres'.split(' ')),
  nl: new Set('ik mij me mijn wij we ons onze jij je jou jouw u uw jullie'.split(' ')),
};

/**
 * The words as compared for copying: persons folded into one, and each word cut to its first five letters, so
 * "I don't want"/"you don't want" and "kom"/"komt" match, as a pasted line with its pronouns swapped does.
 */
const copyKeys = (ws: readonly string[], language: Language): string[] =>
  ws.map((w) => (PERSON[language].has(w) ? '·' : w.slice(0, 5)));

/** Does `rep` paste the buyer sentence `buyer` (words)? */
const pastes = (buyer: readonly string[], rep: readonly string[]): boolean =>
  buyer.length >= PASTE_MIN_WORDS && copiedShare(buyer, [rep]) >= PASTE_SHARE;

/** Is the rep sentence (words) itself mostly pasted fragments of the buyer's sentences? */
const pastedFragments = (rep: readonly string[], buyer: ReadonlyArray<readonly string[]>): boolean =>
  rep.length >= PASTE_MIN_WORDS + 1 && copiedShare(rep, buyer) >= PASTE_SHARE;

/** Numbers in a text ("250", "3.000"), for telling the buyer's own figures from the rep's offer. */
const numbersIn = (text: string): string[] =>
  (text.match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replace(/[.,]/g, ''));

const specificCache = new WeakMap<Lexicon, Map<string, boolean>>();

/** Not a word of the buying process itself (budget, team, today…): taking it back shows the rep listened. */
export function isSpecificWord(w: string, lex: Lexicon): boolean {
  let cache = specificCache.get(lex);
  if (!cache) {
    cache = new Map();
    specificCache.set(lex, cache);
  }
  let v = cache.get(w);
  if (v === undefined) {
    // An inflection of a buying-process word ("budgets", "decided") is one too; "skriver" is not "skridt".
    v =
      !lex.generic.has(w) &&
      ![...lex.generic].some(
        (g) =>
          (g.length >= 4 && w.startsWith(g) && w.length - g.length <= 4) ||
          (w.length >= 4 && g.startsWith(w)),
      );
    cache.set(w, v);
  }
  return v;
}

/**
 * The content words the rep brought into the conversation before the buyer said them, from the turns in order.
 * A word the buyer said first stays the buyer's, however often the rep takes it up afterwards.
 */
export function wordsRepSaidFirst(
  turns: ReadonlyArray<{ role: 'rep' | 'buyer'; text: string }>,
  language: Language,
): string[] {
  const lex = LEXICONS[language];
  const buyerSaid: string[] = [];
  const repFirst = new Set<string>();
  for (const t of turns) {
    const ws = contentWords(t.text, lex.stopwords);
    if (t.role === 'buyer') buyerSaid.push(...ws);
    else for (const w of ws) if (!buyerSaid.some((b) => sameStem(b, w))) repFirst.add(w);
  }
  return [...repFirst];
}

/** Sentence-level analysis of a rep message; `previousBuyerTexts` are the buyer's turns so far, oldest first. */
export function analyzeRepTurnInDetail(
  text: string,
  language: Language,
  previousBuyerTexts: readonly string[],
  context: RepTurnContext = {},
): RepTurnDetail {
  const lex = LEXICONS[language];
  const buyerTurnsWords = previousBuyerTexts.map((t) => [...new Set(contentWords(t, lex.stopwords))]);
  const buyerWords = [...new Set(buyerTurnsWords.flat())];
  // Words the rep brought in first are no sign of having listened when they come back.
  const repOwn = context.repFirst ?? [
    ...new Set((context.previousRepTexts ?? []).flatMap((t) => contentWords(t, lex.stopwords))),
  ];
  const isSpecific = (w: string): boolean => isSpecificWord(w, lex) && !repOwn.some((r) => sameStem(r, w));
  const specificBuyer = buyerWords.filter(isSpecific);
  const specificPerTurn = buyerTurnsWords.map((tw) => tw.filter((w) => specificBuyer.includes(w)));
  const specificPerSentence = previousBuyerTexts.flatMap((t) =>
    splitSentences(t).map((x) =>
      contentWords(x.text, lex.stopwords).filter((w) => specificBuyer.includes(w)),
    ),
  );
  const buyerSentences = previousBuyerTexts.flatMap((t) =>
    splitSentences(t).map((x) => copyKeys(words(x.text), language)),
  );
  const buyerNumbers = new Set(previousBuyerTexts.flatMap(numbersIn));
  const lastSpecific = specificPerTurn[specificPerTurn.length - 1] ?? [];
  const raw = splitSentences(text);
  const normalized = raw.map((s) => normalize(s.text));
  const repWordsAll = words(text);
  // A sentence that sums up ("so, in your words: …") proposes nothing, whatever words it takes back.
  const recapLike = (i: number): boolean => anyMatch(lex.recapMarker, normalized[i]!);
  const opening = (context.previousRepTexts ?? []).length === 0;

  const sentences: SentenceAnalysis[] = raw.map((s, i) => {
    const n = normalized[i]!;
    const wordCount = words(s.text).length;
    const asks = s.question || anyMatch(lex.explicitQuestion, n);
    const hit = asks
      ? (detectClose(n, lex) ?? (!opening && i === raw.length - 1 ? detectProposal(n, lex) : null))
      : null;
    const close = hit
      ? { kind: closeKind(normalized, i, hit, lex, recapLike, context.sale), soft: hit.soft }
      : null;
    const deferral = anyMatch(lex.deferral, n);
    const smallTalk = (wordCount <= 6 && anyMatch(lex.identityCheck, n)) || anyMatch(lex.smallTalk, n);
    const benefit = anyMatch(lex.benefitQuestion, n);
    const notDiscovery =
      smallTalk ||
      benefit ||
      anyMatch(lex.checkBack, n) ||
      anyMatch(lex.opinionCheck, n) ||
      (anyMatch(lex.leading, n) && !deferral) ||
      wordCount < 2;
    const discovery = asks && !close && !notDiscovery;
    // The buyer's own figures taken back ("so under 250 euro a month is your ceiling") are no offer.
    const figures = numbersIn(s.text);
    const ownFigures = figures.some((x) => !buyerNumbers.has(x));
    // Only the buyer's own figures: read what is left once they and their units are taken out.
    const offer = figures.length > 0 && !ownFigures ? n.replace(/\d[\d.,]*(\s+[^\s,.;:!?]+){0,3}/gu, ' ') : n;
    const pitch =
      !discovery &&
      !deferral &&
      (anyMatch(lex.pitch, offer) || (anyMatch(COMMON.pitch, n) && ownFigures) || (asks && benefit));
    const sentenceWords = copyKeys(words(s.text), language);
    const echoes = echoed(contentWords(s.text, lex.stopwords), buyerWords);
    const marked = anyMatch(lex.mirrorMarker, n) || anyMatch(lex.recapMarker, n);
    const ownWords = contentWords(
      marked ? stripMatches(n, [...lex.mirrorMarker, ...lex.recapMarker]) : n,
      lex.stopwords,
    );
    const novelty =
      ownWords.length === 0 ? 1 : ownWords.filter((w) => !echoes.includes(w)).length / ownWords.length;
    const lastTaken = echoes.filter((w) => lastSpecific.includes(w) && specificBuyer.includes(w)).length;
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
      smallTalk,
      benefit,
      echoes,
      specific: echoes.filter((w) => specificBuyer.includes(w)),
      copied:
        // Buyer sentences pasted in, making up much of this one (a date taken over in a long recap does not).
        buyerSentences.filter((b) => pastes(b, sentenceWords)).reduce((n, b) => n + b.length, 0) * 2 >=
          sentenceWords.length || pastedFragments(sentenceWords, buyerSentences),
      mirrorMarked: marked,
      mirror:
        !asks &&
        // Only the last answer: a recap gathers several.
        echoes.filter((w) => specificBuyer.includes(w) && !lastSpecific.includes(w)).length <= 1 &&
        (marked
          ? lastTaken >= 1 && novelty <= MIRROR_NOVELTY_WITH_MARKER
          : lastTaken >= MIRROR_MIN_WORDS_UNMARKED && novelty <= MIRROR_NOVELTY),
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

  // A recap sums up, in the rep's own words, several things the buyer said (from at least two of their sentences):
  // copied lines do not count, nor words anyone could say without listening (budget, team…); taking back one line
  // is a reflection, not a recap.
  const recapIn = (part: readonly SentenceAnalysis[]): boolean => {
    const own = part.filter((s) => !s.copied);
    const taken = [...new Set(own.flatMap((s) => s.specific))];
    const fromSentences = specificPerSentence.filter((sw) => sw.some((w) => taken.includes(w))).length;
    if (fromSentences < 2) return false;
    if (own.some((s) => s.recapMarker) && taken.length >= RECAP_ECHO_WITH_MARKER) return true;
    return taken.length >= RECAP_ECHO_WITHOUT_MARKER;
  };

  // Parroting: pasted buyer sentences make up much of the turn (one phrase taken over in a long recap does not).
  const pastedWords = sentences.filter((x) => x.copied).reduce((n, x) => n + words(x.text).length, 0);
  const parrot = repWordsAll.length > 0 && pastedWords / repWordsAll.length >= PARROT_SHARE;
  // A follow-up answers what the buyer said in the conversation, not the greeting that opened it.
  const echoThenAsk = (): SentenceAnalysis | undefined => {
    if (opening) return undefined;
    const lead = sentences.findIndex(
      (s) => !s.asks && !s.mirrorMarked && s.specific.some((w) => lastSpecific.includes(w)),
    );
    if (lead < 0) return undefined;
    return sentences
      .slice(lead + 1)
      .find((s) => s.asks && !s.close && BACK_REFERENCE.test(normalize(s.text)));
  };
  const followUp =
    sentences.find(
      (s) =>
        !opening &&
        !s.copied &&
        // Saying the answer back is not yet building on it.
        !(s.mirror && s.mirrorMarked) &&
        !s.pitch &&
        !s.courtesy &&
        s.specific.some((w) => lastSpecific.includes(w)) &&
        contentWords(s.text, lex.stopwords).length > s.echoes.length,
    ) ??
    // "Down the road, while you're treating. How many do you lose that way?": the answer taken back, then asked about.
    echoThenAsk() ??
    null;
  // Mirrored, then the next question on the list: every question asks a textbook topic with none of the buyer's words.
  const asked = sentences.filter((s) => s.asks && !s.close);
  const mirrorThenMoveOn =
    !opening &&
    // Marked ("so what you're saying is…"): "An hour at every breakdown. What have you tried to fix that?" reflects.
    sentences.some((s) => s.mirror && s.mirrorMarked) &&
    asked.length > 0 &&
    asked.every(
      (s) =>
        s.specific.length === 0 &&
        (TOPICS.some((t) => anyMatch(lex.topics[t], normalize(s.text))) ||
          !BACK_REFERENCE.test(normalize(s.text))),
    );
  const usedWords = mirrorThenMoveOn
    ? []
    : [...new Set(sentences.filter((s) => !s.copied).flatMap((s) => s.specific))];

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
    parrot: parrot || mirrorThenMoveOn,
    followUp: parrot || mirrorThenMoveOn ? null : followUp,
    usedWords,
    mirrorThenMoveOn,
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
    parrot: _pa,
    followUp: _fu,
    usedWords: _u,
    mirrorThenMoveOn: _m,
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
