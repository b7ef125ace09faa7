import { AppError } from '../errors.js';
import type { HiddenFact, Scenario } from '../scenarios/schema.js';
import { analyzeRepTurnInDetail, type RepTurnDetail } from '../text/analyze.js';
import { LEXICONS } from '../text/lexicons/index.js';
import { contentWords, echoed, normalize, splitSentences, words } from '../text/tokenize.js';
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
  /** Taking back the buyer's own words. */
  reflection: 6,
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
/** Rep words echoing the buyer's last line that count as reflecting it. */
const REFLECTION_ECHO = 2;
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
  return ws.some((w) => w.startsWith(k));
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

/** Picks a line, avoiding the buyer's own last line when there is another. */
function pick(lines: readonly string[], random: () => number, last: string | undefined): string {
  if (lines.length === 1) return lines[0]!;
  const fresh = lines.filter((l) => l !== last);
  const pool = fresh.length > 0 ? fresh : lines;
  const i = Math.min(pool.length - 1, Math.floor(random() * pool.length));
  return pool[i]!;
}

const buyerTexts = (history: readonly HistoryTurn[]): string[] =>
  history.filter((t) => t.role === 'buyer').map((t) => t.text);

/** What the buyer has heard so far; in a close drill the summary of the earlier conversation comes first. */
const heard = (scenario: Scenario, history: readonly HistoryTurn[]): string[] => [
  ...(scenario.start === 'close' && scenario.close_summary ? [scenario.close_summary] : []),
  ...buyerTexts(history),
];

/** The previous rep turn, analysed as it was when it was said. */
function previousRepTurn(scenario: Scenario, history: readonly HistoryTurn[]): RepTurnDetail | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i]!;
    if (turn.role !== 'rep') continue;
    return analyzeRepTurnInDetail(turn.text, scenario.language, heard(scenario, history.slice(0, i)));
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
    const lastLine = said[said.length - 1];
    const repTurn = history.filter((t) => t.role === 'rep').length + 1;
    const drill = scenario.start === 'close';
    const a = analyzeRepTurnInDetail(repText, scenario.language, heard(scenario, history));
    const previous = previousRepTurn(scenario, history);
    const lastHeard = heard(scenario, history).at(-1) ?? '';
    const stop = LEXICONS[scenario.language].stopwords;
    const reflects =
      echoed(contentWords(repText, stop), contentWords(lastHeard, stop)).length >= REFLECTION_ECHO;

    const next: BuyerState = {
      ...state,
      uncovered: [...state.uncovered],
      stage: state.stage === 'opening' ? 'discovery' : state.stage,
    };
    const end = (text: string, outcome: Outcome): BuyerTurnResult =>
      result(text, { ...next, trust: clampTrust(next.trust), outcome, ended: true, stage: 'ended' });
    const finish = (text: string): BuyerTurnResult => {
      next.trust = clampTrust(next.trust);
      if (next.trust === 0) return end(scenario.flat_no, 'no');
      if (repTurn >= MAX_REP_TURNS) return end(lines.wrap_up, 'open');
      return result(text, next);
    };

    // It stays in character: junk and attempts to break the role-play get an off-topic line and cost trust.
    if (a.offScript) {
      next.trust += TRUST.offScript;
      return finish(pick(lines.off_topic, random, lastLine));
    }

    const askedBefore = history.some(
      (t, i) =>
        t.role === 'rep' &&
        analyzeRepTurnInDetail(t.text, scenario.language, heard(scenario, history.slice(0, i)))
          .discoveryQuestions > 0,
    );
    const pitchedFirst =
      a.pitch && !askedBefore && !drill && (a.discoveryQuestions === 0 || a.pitchBeforeDiscovery);
    const monologue = a.words > MONOLOGUE_WORDS && !a.recap;
    // Deadlines and discounts. Closing again straight after a no is counted by the close rules instead.
    const pressure = a.sentences.some((s) => s.pressure);
    const matches = matchFacts(scenario, a);

    // Asking the same thing again, or about what is already on the table, earns nothing new.
    const askedAlready = new Set(
      history
        .filter((t) => t.role === 'rep')
        .flatMap((t) => splitSentences(t.text).map((x) => normalize(x.text))),
    );
    const newQuestions = a.sentences.filter(
      (s) => s.discovery && !askedAlready.has(normalize(s.text)),
    ).length;
    const fresh = matches.filter((m) => !next.uncovered.includes(m.fact.id));
    next.trust += Math.min(2, newQuestions) * TRUST.discovery;
    if (fresh.some((m) => m.hits > 0)) next.trust += TRUST.factKeywords;
    else if (fresh.length > 0) next.trust += TRUST.factKind;
    if (reflects && !pitchedFirst) next.trust += TRUST.reflection;
    if (a.recap) next.trust += TRUST.recap;
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
      const recapped = a.recap || reflects || previous?.recap === true;
      const closeQuestions = a.sentences.filter((s) => s.close).length;
      // A close drill is the seed-003 close: recap, one clear question, then silence.
      const clean = !drill || (!a.addedArgumentAfterClose && closeQuestions === 1);
      const earned = essentials && recapped && clean && !pressure && clampTrust(next.trust) >= EARN_TRUST;

      if (a.close!.soft) {
        if (earned) return end(scenario.earned_yes.line, scenario.sale === 'simple' ? 'yes' : 'next_step');
        // An honest impression hints at what is missing; it is not a refusal.
        return finish(pick(lines.impression, random, lastLine));
      }
      if (earned && a.close!.kind === scenario.earned_yes.kind) {
        return end(scenario.earned_yes.line, scenario.sale === 'simple' ? 'yes' : 'next_step');
      }

      next.trust += TRUST.unearnedClose;
      if (previous?.close && a.discoveryQuestions === 0) next.trust += TRUST.repeatedClose;
      const pushedPastRefusals = state.unearnedCloses >= REFUSALS_BEFORE_FLAT_NO;
      next.unearnedCloses += 1;
      if (pushedPastRefusals || (pressure && clampTrust(next.trust) < VERY_LOW_TRUST)) {
        return end(scenario.flat_no, 'no');
      }
      const disguised = scenario.disguised_nos[(next.unearnedCloses - 1) % scenario.disguised_nos.length]!;
      return finish(disguised);
    }

    function talkReply(): string {
      const trust = clampTrust(next.trust);
      if (matches.length > 0) {
        // Never more than one fact per turn, and never one the rep has not earned.
        const reveal = fresh.find((m) =>
          m.hits > 0 ? trust >= m.fact.min_trust : trust >= m.fact.min_trust + KIND_REVEAL_MARGIN,
        );
        if (reveal) {
          next.uncovered.push(reveal.fact.id);
          return reveal.fact.reveal_line;
        }
        return pick(lines.guarded, random, lastLine);
      }
      if (a.discoveryQuestions > 0) return pick(lines.guarded, random, lastLine);
      if (pressure) return pick(lines.pressure, random, lastLine);
      if (pitchedFirst || monologue) return pick(lines.pitch, random, lastLine);
      if (a.pitch) {
        // After discovery a presentation gets the buyer's open objections, one at a time, then plain doubt.
        const unused = scenario.objections.filter((o) => !said.includes(o));
        return unused[0] ?? pick(lines.pitch, random, lastLine);
      }
      if (a.recap || reflects) return pick(lines.reflection, random, lastLine);
      return pick(lines.guarded, random, lastLine);
    }
  }

  return { mode: 'offline', open, reply };
}
