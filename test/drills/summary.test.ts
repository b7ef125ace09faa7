import { describe, expect, it } from 'vitest';
import type { Feedback, Metrics, Verdict } from '../../src/coach/feedback.js';
import { compareRuns, drillReport, gapsOf, summarizeRun } from '../../src/drills/summary.js';

const metrics = (m: Partial<Metrics> = {}): Metrics => ({
  repWordShare: 0.4,
  repQuestions: 5,
  discoveryQuestions: 4,
  longestRepTurnWords: 30,
  closeAttempts: 1,
  finalCloseType: 'next_step',
  recapBeforeClose: true,
  addedArgumentAfterClose: false,
  pitchedBeforeDiscovery: false,
  buyerFlatNo: false,
  disguisedNo: false,
  ...m,
});

const feedback = (verdict: Verdict, m: Partial<Metrics> = {}, scores = [4, 4, 4, 4]): Feedback => ({
  verdict,
  mode: 'offline',
  summary: '',
  nextTime: '',
  metrics: metrics(m),
  dimensions: (['discovery', 'listening', 'handling_no', 'close'] as const).map((id, i) => ({
    id,
    score: scores[i]!,
    comment: '',
    evidence: [],
  })),
});

let minute = 0;
const attempt = (userId: string, f: Feedback | null) => ({
  userId,
  createdAt: new Date(Date.UTC(2025, 2, 24, 9, ++minute)),
  feedback: f,
});

describe('gapsOf', () => {
  it('names the closing mistakes; a missing recap only counts when there was a close', () => {
    expect(gapsOf(metrics())).toEqual([]);
    expect(gapsOf(metrics({ finalCloseType: 'none', closeAttempts: 0, recapBeforeClose: false }))).toEqual([
      'no_close',
    ]);
    expect(gapsOf(metrics({ recapBeforeClose: false, addedArgumentAfterClose: true }))).toEqual([
      'no_recap',
      'argument_after_close',
    ]);
    expect(gapsOf(metrics({ pitchedBeforeDiscovery: true }))).toEqual(['pitched_before_discovery']);
  });
});

describe('summarizeRun', () => {
  it('counts participants, verdicts, the most common gap and the weakest dimension', () => {
    const s = summarizeRun([
      attempt('U1', feedback('connected', {}, [5, 4, 4, 3])),
      attempt(
        'U2',
        feedback('script', { recapBeforeClose: false, pitchedBeforeDiscovery: true }, [2, 2, 3, 1]),
      ),
      attempt('U3', feedback('mixed', { recapBeforeClose: false }, [3, 3, 3, 2])),
      attempt('U4', null),
    ]);
    expect(s.participants).toEqual(['U1', 'U2', 'U3', 'U4']);
    expect(s).toMatchObject({ finished: 3, unfinished: 1, verdicts: { connected: 1, mixed: 1, script: 1 } });
    expect(s.gaps).toEqual({
      no_close: 0,
      no_recap: 2,
      argument_after_close: 0,
      pitched_before_discovery: 1,
    });
    expect(s.topGap).toEqual({ gap: 'no_recap', count: 2 });
    expect(s.dimensions).toEqual({ discovery: 3.3, listening: 3, handling_no: 3.3, close: 2 });
    expect(s.weakest).toEqual({ id: 'close', average: 2 });
  });

  it('counts a rep once, with their latest coached attempt', () => {
    const s = summarizeRun([
      attempt('U1', feedback('script')),
      attempt('U1', feedback('connected')),
      attempt('U1', null),
      attempt('U2', null),
      attempt('U2', null),
    ]);
    expect(s.participants).toEqual(['U1', 'U2']);
    expect(s).toMatchObject({ finished: 1, unfinished: 1, verdicts: { connected: 1, mixed: 0, script: 0 } });
  });

  it('has no gap and no weakest dimension when nobody finished', () => {
    expect(summarizeRun([])).toMatchObject({ participants: [], finished: 0, topGap: null, weakest: null });
    expect(summarizeRun([attempt('U1', feedback('connected'))]).topGap).toBeNull();
  });
});

describe('compareRuns and drillReport', () => {
  it('compares with the previous run: participants, connected share, this run’s top gap then and now', () => {
    const before = [
      attempt('U1', feedback('script', { finalCloseType: 'none', recapBeforeClose: false }, [2, 2, 2, 1])),
      attempt('U2', feedback('mixed', { recapBeforeClose: false }, [3, 3, 3, 2])),
    ];
    const now = [
      attempt('U1', feedback('connected', {}, [4, 4, 4, 4])),
      attempt('U2', feedback('connected', {}, [4, 4, 4, 3])),
      attempt('U3', feedback('mixed', { recapBeforeClose: false }, [3, 3, 3, 2])),
      attempt('U5', feedback('script', { recapBeforeClose: false }, [2, 2, 2, 2])),
    ];
    const change = compareRuns(summarizeRun(now), summarizeRun(before));
    expect(change).toEqual({
      participants: { now: 4, before: 2 },
      connected: { now: 0.5, before: 0 },
      gap: { gap: 'no_recap', now: 0.5, before: 0.5 },
      weakest: { id: 'close', now: 2.8, before: 1.5 },
    });
    expect(drillReport(now, null).change).toBeNull();
    expect(drillReport(now, before).change).toEqual(change);
    // Nobody finished last time: no share to compare with.
    expect(compareRuns(summarizeRun(now), summarizeRun([attempt('U9', null)])).connected).toEqual({
      now: 0.5,
      before: null,
    });
  });
});
