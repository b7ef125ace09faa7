import { AppError } from '../errors.js';
import type { HiddenFact, Scenario } from '../scenarios/schema.js';
import {
  analyzeRepTurnInDetail,
  isSpecificWord,
  type RepTurnDetail,
  wordsRepSaidFirst,
} from '../text/analyze.js';
import { LEXICONS } from '../text/lexicons/index.js';
import { contentWords, normalize, sameStem, words } from '../text/tokenize.js';
import {
  type Buyer,
  type BuyerReplyInput,
  type BuyerState,
  type BuyerTurnResult,
  type HistoryTurn,
  initialState,
  type Outcome,
} from './types.js';

/**
 * How the scripted buyer's trust (0-100) moves. Warm for discovery, reflection and a recap (seeds 001, 002); cold
 * for pitching before asking, monologues, pressure and closing again and again (seeds 000, 003).
 */
export const TRUST = {
  /** Per discovery question, at most two per turn. */
  discovery: 4,
  /** A discovery question that names what a hidden fact is about (its keywords). */
  factKeywords: 6,
  /** A discovery question about the kind of thing a hidden fact is (who decides, budget…). */
  factKind: 3,
  /** Building on what the buyer just said, in the rep's own words. */
  reflection: 6,
  /** Pasting the buyer's own line back: it shows the rep did not listen. */
  parrot: -6,
  /** Four or more questions in one message, or the same questions again: an interrogation. */
  interrogation: -4,
  /** Summing up what counts in the buyer's eyes. */
  recap: 8,
  pitchBeforeDiscovery: -8,
  monologue: -6,
  pressure: -10,
  /** A close the buyer turns down. */
  unearnedClose: -2,
  /** Closing again straight after a close, with nothing new in between. */
  repeatedClose: -8,
  /** Talking past your own closing question. */
  addedArgument: -6,
  offScript: -6,
} as const;

/** Trust a close needs to be earned. */
export const EARN_TRUST = 60;
/** A close with pressure below this trust gets the flat no straight away. */
export const VERY_LOW_TRUST = 15;
/** A question that only matches a fact's kind, not its words, reveals it from this much trust above min_trust. */
const KIND_REVEAL_MARGIN = 15;
/** More words than this in one turn is a monologue. */
const MONOLOGUE_WORDS = 80;
/** Questions in one message from which it is an interrogation rather than a conversation. */
const INTERROGATION_QUESTIONS = 4;
/** A question sharing this much of its content words with an earlier one is the same question again. */
const SAME_QUESTION = 0.6;
/** No buyer line is said more than this often in one session. */
const MAX_LINE_REPEATS = 2;
/** After this many rep turns without a decision the buyer wraps up. */
export const MAX_REP_TURNS = 14;
/** Unearned closes after which the next pushed close gets the flat no. */
const REFUSALS_BEFORE_FLAT_NO = 2;

const clampTrust = (n: number): number => Math.max(0, Math.min(100, Math.round(n)));

const result = (text: string, state: BuyerState): BuyerTurnResult => ({
  text,
  state,
  raw: null,
  usage: null,
});

/** Does a keyword (lower case, any inflection prefix; phrases as they stand) occur in these words? */
const keywordHit = (keyword: string, ws: readonly string[], normalized: string): boolean => {
  const k = keyword.trim().toLowerCase();
  if (k.length === 0) return false;
  if (/\s/.test(k)) return normalized.includes(k);
  // A short keyword is a word, not a stem: "pay" is not "payments".
  if (k.length <= 3) return ws.some((w) => w === k || w === `${k}s`);
  // Swedish, Danish and Dutch write compounds as one word: "fakturahanteringen" holds "faktura".
  return ws.some((w) => w.startsWith(k) || (k.length >= 5 && w.includes(k)));
};

type FactMatch = { fact: HiddenFact; hits: number; byKind: boolean };

/** The hidden facts the turn's discovery questions go after, best first: keyword hits, then kind, then order. */
function matchFacts(scenario: Scenario, analysis: RepTurnDetail): FactMatch[] {
  const questions = analysis.sentences.filter((s) => s.discovery);
  if (questions.length === 0) return [];
  const text = questions.map((s) => s.text).join(' ');
  const ws = words(text);
  const normalized = normalize(text);
  const matches: FactMatch[] = [];
  for (const fact of scenario.hidden_facts) {
    const hits = fact.keywords.filter((k) => keywordHit(k, ws, normalized)).length;
    const byKind =
      fact.kind !== 'other' && (analysis.discoveryTopics as readonly string[]).includes(fact.kind);
    if (hits > 0 || byKind) matches.push({ fact, hits, byKind });
  }
  return matches.sort((a, b) => b.hits - a.hits || Number(b.byKind) - Number(a.byKind));
}

/**
 * Picks a line, avoiding the buyer's own last line when there is another and any line already said
 * `MAX_LINE_REPEATS` times; null when every line is used up.
 */
function pick(lines: readonly string[], random: () => number, said: readonly string[]): string | null {
  const last = said[said.length - 1];
  const usable = lines.filter((l) => said.filter((x) => x === l).length < MAX_LINE_REPEATS);
  if (usable.length === 0) return null;
  if (usable.length === 1) return usable[0]!;
  const fresh = usable.filter((l) => l !== last);
  const pool = fresh.length > 0 ? fresh : usable;
  const i = Math.min(pool.length - 1, Math.floor(random() * pool.length));
  return pool[i]!;
}

/** Content words of a question, for telling the same question asked again. */
const questionWords = (text: string, stop: ReadonlySet<string>): Set<string> =>
  new Set(contentWords(text, stop));
const overlap = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  if (a.size === 0 || b.size === 0) return 0;
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n / Math.min(a.size, b.size);
};

/**
 * Does this recap (the rep's own sentences) cover what counts for this buyer? Each essential fact is covered by
 * a specific word of its reveal line or one of its keywords; a good recap may miss one of several.
 */
function recapCovers(scenario: Scenario, recap: RepTurnDetail | null): boolean {
  if (!recap?.recap) return false;
  const lex = LEXICONS[scenario.language];
  const said = recap.sentences.filter((x) => !x.copied).flatMap((x) => contentWords(x.text, lex.stopwords));
  const essentials = scenario.hidden_facts.filter((f) => f.essential);
  if (essentials.length === 0) return true;
  const covered = essentials.filter((f) => {
    const marks = [
      ...contentWords(f.reveal_line, lex.stopwords),
      ...f.keywords.map((k) => k.toLowerCase()),
    ].filter((w) => !/\s/.test(w) && isSpecificWord(w, lex));
    return marks.some((m) => said.some((w) => sameStem(w, m) || (m.length >= 4 && w.startsWith(m))));
  }).length;
  return covered >= Math.max(1, essentials.length - 1);
}

const buyerTexts = (history: readonly HistoryTurn[]): string[] =>
  history.filter((t) => t.role === 'buyer').map((t) => t.text);

/** What the buyer has heard so far; in a close drill the summary of the earlier conversation comes first. */
const heard = (scenario: Scenario, history: readonly HistoryTurn[]): string[] => [
  ...(scenario.start === 'close' && scenario.close_summary ? [scenario.close_summary] : []),
  ...buyerTexts(history),
];

const repTexts = (history: readonly HistoryTurn[]): string[] =>
  history.filter((t) => t.role === 'rep').map((t) => t.text);

/** A rep turn read as it was when it was said: against what the buyer had said and the rep's own turns before. */
const readRep = (scenario: Scenario, history: readonly HistoryTurn[], text: string): RepTurnDetail =>
  analyzeRepTurnInDetail(text, scenario.language, heard(scenario, history), {
    previousRepTexts: repTexts(history),
    repFirst: wordsRepSaidFirst(
      [...heard(scenario, []).map((t) => ({ role: 'buyer' as const, text: t })), ...history],
      scenario.language,
    ),
    sale: scenario.sale,
  });

/** The previous rep turn, analysed as it was when it was said. */
function previousRepTurn(scenario: Scenario, history: readonly HistoryTurn[]): RepTurnDetail | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i]!;
    if (turn.role !== 'rep') continue;
    return readRep(scenario, history.slice(0, i), turn.text);
  }
  return null;
}

/**
 * The scripted buyer of offline mode. It plays the scenario from its authored lines only and never invents a fact:
 * every reply is one of the scenario's lines. Deterministic for a given `random`.
 */
export function createOfflineBuyer(opts: { random?: () => number } = {}): Buyer {
  const random = opts.random ?? Math.random;

  function open(scenario: Scenario): BuyerTurnResult {
    return result(scenario.opening, initialState(scenario));
  }

  async function reply({ scenario, history, state, repText }: BuyerReplyInput): Promise<BuyerTurnResult> {
    if (state.ended) throw new AppError('session_ended', 'the buyer has already made a decision');
    const lines = scenario.offline.lines;
    const said = buyerTexts(history);
    const repTurn = history.filter((t) => t.role === 'rep').length + 1;
    const drill = scenario.start === 'close';
    const a = readRep(scenario, history, repText);
    const previous = previousRepTurn(scenario, history);
    const stop = LEXICONS[scenario.language].stopwords;
    // Listening is building on what the buyer said in your own words; pasting it back is parroting.
    const reflects = a.followUp !== null && !a.parrot;

    const next: BuyerState = {
      ...state,
      uncovered: [...state.uncovered],
      stage: state.stage === 'opening' ? 'discovery' : state.stage,
    };
    const end = (text: string, outcome: Outcome): BuyerTurnResult =>
      result(text, { ...next, trust: clampTrust(next.trust), outcome, ended: true, stage: 'ended' });
    const finish = (text: string | null): BuyerTurnResult => {
      next.trust = clampTrust(next.trust);
      if (next.trust === 0) return end(scenario.flat_no, 'no');
      // Out of things to say without repeating itself, or out of patience: the buyer wraps up, open.
      if (text === null || repTurn >= MAX_REP_TURNS) return end(lines.wrap_up, 'open');
      return result(text, next);
    };
    const say = (...pools: ReadonlyArray<readonly string[]>): string | null => {
      for (const pool of pools) {
        const line = pick(pool, random, said);
        if (line !== null) return line;
      }
      return null;
    };

    // It stays in character: junk and attempts to break the role-play get an off-topic line and cost trust.
    if (a.offScript) {
      next.trust += TRUST.offScript;
      return finish(say(lines.off_topic, lines.guarded));
    }

    const earlier = history.flatMap((t, i) =>
      t.role === 'rep'
        ? readRep(scenario, history.slice(0, i), t.text)
            .sentences.filter((x) => x.discovery)
            .map((x) => questionWords(x.text, stop))
        : [],
    );
    const askedBefore = earlier.length > 0;
    const pitchedFirst =
      a.pitch && !askedBefore && !drill && (a.discoveryQuestions === 0 || a.pitchBeforeDiscovery);
    const monologue = a.words > MONOLOGUE_WORDS && !a.recap;
    // Deadlines and discounts. Closing again straight after a no is counted by the close rules instead.
    const pressure = a.sentences.some((x) => x.pressure);
    const matches = matchFacts(scenario, a);

    // Asking the same thing again earns nothing new; a block of questions earns no more than two good ones.
    const questions = a.sentences.filter((x) => x.discovery).map((x) => questionWords(x.text, stop));
    const newQuestions = questions.filter((q) => !earlier.some((e) => overlap(q, e) >= SAME_QUESTION)).length;
    const repeated = questions.length - newQuestions;
    const interrogation = a.questions >= INTERROGATION_QUESTIONS || (repeated >= 2 && !reflects);
    const fresh = matches.filter((m) => !next.uncovered.includes(m.fact.id));
    next.trust += Math.min(2, newQuestions) * TRUST.discovery;
    if (newQuestions > 0 && fresh.some((m) => m.hits > 0)) next.trust += TRUST.factKeywords;
    else if (newQuestions > 0 && fresh.length > 0) next.trust += TRUST.factKind;
    if (reflects && !pitchedFirst) next.trust += TRUST.reflection;
    if (a.parrot) next.trust += TRUST.parrot;
    if (interrogation) next.trust += TRUST.interrogation;
    if (a.recap && !a.parrot) next.trust += TRUST.recap;
    if (pitchedFirst) next.trust += TRUST.pitchBeforeDiscovery;
    if (monologue) next.trust += TRUST.monologue;
    if (pressure) next.trust += TRUST.pressure;

    if (a.close) return closeReply();
    return finish(talkReply());

    function closeReply(): BuyerTurnResult {
      next.closeAttempts += 1;
      next.stage = 'closing';
      if (a.addedArgumentAfterClose) next.trust += TRUST.addedArgument;
      const essentials = scenario.hidden_facts
        .filter((f) => f.essential)
        .every((f) => next.uncovered.includes(f.id));
      // The close is earned on a recap of what counts for this buyer, in the rep's words, in this turn or the one
      // before (seed 003); in a drill, of what the summary says counts.
      const recapped =
        !a.parrot && (recapCovers(scenario, a) || (!previous?.parrot && recapCovers(scenario, previous)));
      const closeQuestions = a.sentences.filter((x) => x.close).length;
      // Recap, one clear question, then silence: talking past the question undoes the close everywhere.
      const clean = !a.addedArgumentAfterClose && (!drill || closeQuestions === 1);
      const earned = essentials && recapped && clean && !pressure && clampTrust(next.trust) >= EARN_TRUST;
      const yes = (): BuyerTurnResult =>
        end(scenario.earned_yes.line, scenario.sale === 'simple' ? 'yes' : 'next_step');

      if (earned && (a.close!.soft || a.close!.kind === scenario.earned_yes.kind)) return yes();

      // An unearned close, soft or hard, is turned down, and counts toward the flat no.
      next.trust += TRUST.unearnedClose;
      if (previous?.close && a.discoveryQuestions === 0) next.trust += TRUST.repeatedClose;
      const pushedPastRefusals = state.unearnedCloses >= REFUSALS_BEFORE_FLAT_NO;
      next.unearnedCloses += 1;
      if (pushedPastRefusals || (pressure && clampTrust(next.trust) < VERY_LOW_TRUST)) {
        return end(scenario.flat_no, 'no');
      }
      // An honest impression answers the first soft close: it hints at what is missing.
      if (a.close!.soft && state.unearnedCloses === 0)
        return finish(say(lines.impression, scenario.disguised_nos));
      const disguised = scenario.disguised_nos[(next.unearnedCloses - 1) % scenario.disguised_nos.length]!;
      return finish(disguised);
    }

    function talkReply(): string | null {
      const trust = clampTrust(next.trust);
      if (matches.length > 0 && newQuestions > 0) {
        // Never more than one fact per turn, and never one the rep has not earned.
        const reveal = fresh.find((m) =>
          m.hits > 0 ? trust >= m.fact.min_trust : trust >= m.fact.min_trust + KIND_REVEAL_MARGIN,
        );
        if (reveal) {
          next.uncovered.push(reveal.fact.id);
          return reveal.fact.reveal_line;
        }
        return say(lines.guarded);
      }
      if (a.discoveryQuestions > 0) return say(lines.guarded);
      if (pressure) return say(lines.pressure, lines.pitch);
      if (pitchedFirst || monologue) return say(lines.pitch, lines.guarded);
      const unused = scenario.objections.filter((o) => !said.includes(o));
      if (a.pitch) {
        // After discovery a presentation gets the buyer's open objections, one at a time, then plain doubt.
        return unused[0] ?? say(lines.pitch, lines.guarded);
      }
      // A warm buyer still has its doubts: it voices them when the rep states rather than asks.
      if (!reflects && !a.recap && trust >= EARN_TRUST && unused.length > 0 && a.questions === 0)
        return unused[0]!;
      if ((a.recap && !a.parrot) || reflects) return say(lines.reflection, lines.guarded);
      return say(lines.guarded, lines.reflection);
    }
  }

  return { mode: 'offline', open, reply };
}
