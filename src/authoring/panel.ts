import { createOfflineBuyer } from '../buyer/offline-buyer.js';
import type { BuyerState, HistoryTurn, Outcome } from '../buyer/types.js';
import { coachContextOf } from '../coach/context.js';
import type { Verdict } from '../coach/feedback.js';
import { computeMetrics } from '../coach/metrics.js';
import { offlineFeedback } from '../coach/offline-coach.js';
import type { Transcript } from '../domain/transcript.js';
import type { Scenario } from '../scenarios/schema.js';
import { PANEL_LINES, type PanelLines } from './panel-lines.js';

export type { PanelLines };

/**
 * The test panel: generic scripted reps that never listen, and the scenario's own good rep (`test_rep`). A fair
 * buyer is won by the good rep and by none of the others (seeds 000-003): a pitbull, a soft seller, a checklist
 * robot, a parrot, a keyword stuffer and a soft-close repeater.
 */
export const GENERIC_REPS = [
  'pitbull',
  'soft_seller',
  'checklist',
  'parrot',
  'keyword_stuffer',
  'soft_close_repeater',
] as const;
export type GenericRep = (typeof GENERIC_REPS)[number];
export type PanelRep = GenericRep | 'test_rep';

/** What a scripted rep sees: everything said so far. It returns its next line, or null to stop. */
type Played = { rep: readonly string[]; buyer: readonly string[] };
type Script = (played: Played) => string | null;

export type PanelRun = {
  scenario: string;
  rep: PanelRep;
  outcome: Outcome;
  /** The buyer gave the earned yes of the scenario's kind. */
  won: boolean;
  verdict: Verdict;
  repTurns: number;
  transcript: Transcript;
};

/** Rep turns after which a script stops if the buyer has not decided. */
const MAX_TURNS = 10;

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const at = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

function scripts(scenario: Scenario, p: PanelLines): Record<GenericRep, Script> {
  const close = p.close[scenario.earned_yes.kind];
  const n = (played: Played) => played.rep.length;
  const lastBuyer = (played: Played) => played.buyer[played.buyer.length - 1] ?? '';
  return {
    pitbull: (played) => (n(played) < p.pitbull.length ? p.pitbull[n(played)]! : null),
    soft_seller: (played) => (n(played) < p.softSeller.length ? p.softSeller[n(played)]! : null),
    checklist: (played) => {
      const i = n(played);
      const pairs = Math.ceil(p.checklist.length / 2);
      if (i < pairs) return [p.checklist[2 * i], p.checklist[2 * i + 1]].filter(Boolean).join(' ');
      return i === pairs ? close : null;
    },
    parrot: (played) => {
      const i = n(played);
      const pasted = `${p.parrotPrefix} ${lowerFirst(lastBuyer(played))}`;
      if (i < 4) return `${pasted} ${at(p.parrotQuestion, i)}`;
      const before = played.buyer[played.buyer.length - 2] ?? '';
      return i === 4 ? `${p.parrotPrefix} ${lowerFirst(before)} ${lastBuyer(played)} ${close}` : null;
    },
    keyword_stuffer: (played) => {
      const i = n(played);
      if (i < p.keywordStuffer.length) return p.keywordStuffer[i]!;
      return i === p.keywordStuffer.length ? `${p.stuffedRecap} ${close}` : null;
    },
    soft_close_repeater: (played) => {
      const i = n(played);
      if (i >= 8) return null;
      const k = Math.floor(i / 2);
      return i % 2 === 0 ? `${at(p.filler, k)} ${at(p.checklist, k)}` : at(p.softClose, k);
    },
  };
}

/** The scenario's own good rep: its `test_rep` lines in order. */
const testRep =
  (lines: readonly string[]): Script =>
  (played) =>
    lines[played.rep.length] ?? null;

const earned = (scenario: Scenario): Outcome => (scenario.sale === 'simple' ? 'yes' : 'next_step');

async function play(scenario: Scenario, rep: PanelRep, script: Script): Promise<PanelRun> {
  // A fixed random: every run of the panel plays the same conversation.
  const buyer = createOfflineBuyer({ random: () => 0 });
  const opening = buyer.open(scenario);
  const history: HistoryTurn[] = [{ role: 'buyer', text: opening.text }];
  const played = { rep: [] as string[], buyer: [opening.text] };
  let state: BuyerState = opening.state;
  while (!state.ended && played.rep.length < MAX_TURNS) {
    const line = script(played);
    if (line === null) break;
    const r = await buyer.reply({ scenario, history, state, repText: line });
    history.push({ role: 'rep', text: line }, { role: 'buyer', text: r.text });
    played.rep.push(line);
    played.buyer.push(r.text);
    state = r.state;
  }
  const transcript: Transcript = {
    scenario: scenario.id,
    language: scenario.language,
    sale: scenario.sale,
    turns: history.map((t) => ({ role: t.role, text: t.text })),
  };
  const context = coachContextOf(scenario);
  const feedback = offlineFeedback(transcript, computeMetrics(transcript, context), context);
  return {
    scenario: scenario.id,
    rep,
    outcome: state.outcome,
    won: state.outcome === earned(scenario),
    verdict: feedback.verdict,
    repTurns: played.rep.length,
    transcript,
  };
}

/** Plays every generic rep, and the scenario's own `test_rep` when it has one, against the offline buyer. */
export async function runPanel(
  scenario: Scenario,
  lines: PanelLines = PANEL_LINES[scenario.language],
): Promise<PanelRun[]> {
  const s = scripts(scenario, lines);
  const runs: PanelRun[] = [];
  for (const rep of GENERIC_REPS) runs.push(await play(scenario, rep, s[rep]));
  if (scenario.test_rep) runs.push(await play(scenario, 'test_rep', testRep(scenario.test_rep)));
  return runs;
}

/** A panel fails when a generic rep wins the buyer or the scenario's own good rep does not. */
export const panelFailures = (runs: readonly PanelRun[]): PanelRun[] =>
  runs.filter((r) => (r.rep === 'test_rep' ? !r.won : r.won));
