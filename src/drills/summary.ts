import {
  DIMENSION_IDS,
  type DimensionId,
  type Feedback,
  type Metrics,
  type Verdict,
} from '../coach/feedback.js';

/**
 * The closing mistakes the metrics can see (seed 003 and the coach JSON): in order of how much they cost a
 * close, which also breaks ties.
 */
export const GAPS = ['no_close', 'no_recap', 'argument_after_close', 'pitched_before_discovery'] as const;
export type Gap = (typeof GAPS)[number];

/** The gaps one finished attempt shows. A recap only matters once there is a close to recap before. */
export function gapsOf(m: Metrics): Gap[] {
  const gaps: Gap[] = [];
  const closed = m.finalCloseType !== 'none';
  if (!closed) gaps.push('no_close');
  if (closed && !m.recapBeforeClose) gaps.push('no_recap');
  if (m.addedArgumentAfterClose) gaps.push('argument_after_close');
  if (m.pitchedBeforeDiscovery) gaps.push('pitched_before_discovery');
  return gaps;
}

/** What the summary needs of one attempt. */
export type AttemptResult = { userId: string | null; createdAt: Date; feedback: Feedback | null };

/** One drill run, summed up. Shares are over the finished (coached) attempts. */
export type RunSummary = {
  /** Reps who started an attempt, in the order they started. */
  participants: string[];
  finished: number;
  /** Started but not coached when the drill closed. */
  unfinished: number;
  verdicts: Record<Verdict, number>;
  gaps: Record<Gap, number>;
  /** The gap most finished attempts show; null when none shows any. */
  topGap: { gap: Gap; count: number } | null;
  /** Average score per dimension over finished attempts; null when no attempt scored it. */
  dimensions: Record<DimensionId, number | null>;
  weakest: { id: DimensionId; average: number } | null;
};

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Sums up a run from its attempts. A rep counts once: with their latest coached attempt, or their latest attempt
 * when none was coached.
 */
export function summarizeRun(attempts: readonly AttemptResult[]): RunSummary {
  const ordered = [...attempts].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const byRep = new Map<string, AttemptResult>();
  const participants: string[] = [];
  for (const a of ordered) {
    const rep = a.userId ?? '?';
    const kept = byRep.get(rep);
    if (!kept) participants.push(rep);
    if (!kept || a.feedback || !kept.feedback) byRep.set(rep, a);
  }

  const verdicts: Record<Verdict, number> = { connected: 0, mixed: 0, script: 0 };
  const gaps = Object.fromEntries(GAPS.map((g) => [g, 0])) as Record<Gap, number>;
  const scores = Object.fromEntries(DIMENSION_IDS.map((d) => [d, [] as number[]])) as Record<
    DimensionId,
    number[]
  >;
  let finished = 0;
  for (const a of byRep.values()) {
    if (!a.feedback) continue;
    finished += 1;
    verdicts[a.feedback.verdict] += 1;
    for (const g of gapsOf(a.feedback.metrics)) gaps[g] += 1;
    for (const d of a.feedback.dimensions) scores[d.id]?.push(d.score);
  }

  let topGap: RunSummary['topGap'] = null;
  for (const g of GAPS) if (gaps[g] > (topGap?.count ?? 0)) topGap = { gap: g, count: gaps[g] };

  const dimensions = Object.fromEntries(
    DIMENSION_IDS.map((d) => {
      const s = scores[d];
      return [d, s.length > 0 ? round1(s.reduce((x, y) => x + y, 0) / s.length) : null];
    }),
  ) as Record<DimensionId, number | null>;
  let weakest: RunSummary['weakest'] = null;
  for (const d of DIMENSION_IDS) {
    const avg = dimensions[d];
    if (avg !== null && (weakest === null || avg < weakest.average)) weakest = { id: d, average: avg };
  }

  return {
    participants: participants.filter((p) => p !== '?'),
    finished,
    unfinished: byRep.size - finished,
    verdicts,
    gaps,
    topGap,
    dimensions,
    weakest,
  };
}

/** A share from 0 to 1, or null when there is nothing to share out. */
const share = (n: number, of: number): number | null => (of > 0 ? n / of : null);

/** How this run compares with the one before: each figure now and then. */
export type RunChange = {
  participants: { now: number; before: number };
  /** Share of finished attempts that connected. */
  connected: { now: number | null; before: number | null };
  /** This run's top gap, and how common it was last time. */
  gap: { gap: Gap; now: number | null; before: number | null } | null;
  /** This run's weakest dimension, and its average last time. */
  weakest: { id: DimensionId; now: number; before: number | null } | null;
};

export function compareRuns(now: RunSummary, before: RunSummary): RunChange {
  return {
    participants: { now: now.participants.length, before: before.participants.length },
    connected: {
      now: share(now.verdicts.connected, now.finished),
      before: share(before.verdicts.connected, before.finished),
    },
    gap: now.topGap
      ? {
          gap: now.topGap.gap,
          now: share(now.topGap.count, now.finished),
          before: share(before.gaps[now.topGap.gap], before.finished),
        }
      : null,
    weakest: now.weakest
      ? { id: now.weakest.id, now: now.weakest.average, before: before.dimensions[now.weakest.id] }
      : null,
  };
}

/** What the channel gets when a drill closes. */
export type DrillReport = {
  summary: RunSummary;
  /** Null for the first run of a drill. */
  change: RunChange | null;
};

export function drillReport(
  now: readonly AttemptResult[],
  before: readonly AttemptResult[] | null,
): DrillReport {
  const summary = summarizeRun(now);
  return { summary, change: before ? compareRuns(summary, summarizeRun(before)) : null };
}
