import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDrillScheduler, type DrillPoster } from '../../src/drills/scheduler.js';
import type { DrillReport } from '../../src/drills/summary.js';
import { AppError } from '../../src/errors.js';
import { createPractice } from '../../src/practice/practice.js';
import { createCatalog } from '../../src/scenarios/catalog.js';
import { type Db, openDb } from '../../src/store/db.js';
import { createDrillStore, type DrillRun } from '../../src/store/drills.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { backends, freshDb, silentLogger } from '../helpers/db.js';
import { fakeBuyer, fixtureScenarios } from '../slack/harness.js';
import { verdictCoach } from './team-harness.js';

type Posted = { kind: 'drill' | 'summary'; by: string; runId: string; retry: boolean; report?: DrillReport };

/** A poster that records what it posts, and can fail or "find" an earlier post on request. */
function recordingPoster(log: Posted[], by: string) {
  const control = { fail: [] as Error[], found: null as string | null, failures: [] as string[] };
  const poster: DrillPoster = {
    async postDrill(_drill, run, opts) {
      const err = control.fail.shift();
      if (err) throw err;
      if (opts.retry && control.found) return control.found;
      log.push({ kind: 'drill', by, runId: run.id, retry: opts.retry });
      return `ts-${log.length}`;
    },
    async postSummary(_drill, run, report, opts) {
      log.push({ kind: 'summary', by, runId: run.id, retry: opts.retry, report });
      return `ts-${log.length}`;
    },
    async reportFailure(_drill, run, err) {
      control.failures.push(`${run.id}: ${err.code}`);
    },
  };
  return { poster, control };
}

// Thursday 20 March 2025; the drill is every Monday 09:00 in Stockholm (08:00 UTC in March, 07:00 from April).
const CREATED = new Date('2025-03-20T10:00:00Z');
const SLOT1 = new Date('2025-03-24T08:00:00Z');
const SLOT2 = new Date('2025-03-31T07:00:00Z');
const SLOT3 = new Date('2025-04-07T07:00:00Z');
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

describe.each(backends)('drill scheduler on a fake clock (%s)', (kind) => {
  let db: Db;
  let second: Db | null;
  let drop: () => Promise<void>;
  let clock: { now: Date };
  let posted: Posted[];

  beforeEach(async () => {
    const fresh = await freshDb(kind);
    db = fresh.db;
    // PostgreSQL: the second instance has its own pool, so the two really race.
    second = fresh.url
      ? await openDb({ databaseUrl: fresh.url, dataDir: null, logger: silentLogger, poolSize: 5 })
      : null;
    drop = fresh.drop;
    clock = { now: CREATED };
    posted = [];
  });
  afterEach(async () => {
    await second?.close();
    await drop();
  });

  const scheduler = (instanceId: string, on: Db = db) => {
    const { poster, control } = recordingPoster(posted, instanceId);
    const s = createDrillScheduler({
      store: createDrillStore(on),
      poster,
      logger: silentLogger,
      now: () => clock.now,
      instanceId,
      leaseMs: 60_000,
    });
    return Object.assign(s, { control });
  };

  const schedule = (s: ReturnType<typeof scheduler>) =>
    s.schedule({
      teamId: 'T1',
      channelId: 'CTEAM',
      scenarioId: 'en-fixture-vans',
      weekday: 1,
      time: '09:00',
      timeZone: 'Europe/Stockholm',
      createdBy: 'UMGR',
    });

  /** Reps practising in a run: "connect" in the first message is a connected verdict, "script" ran the script. */
  const practise = async (run: DrillRun, attempts: Array<[string, string | null]>) => {
    const practice = createPractice({
      store: createSessionStore(db),
      catalog: createCatalog(fixtureScenarios()),
      buyer: fakeBuyer().buyer,
      coach: verdictCoach(),
      deliver: async () => null,
      logger: silentLogger,
    });
    let n = 0;
    for (const [userId, text] of attempts) {
      const session = await practice.start({
        scenarioId: 'en-fixture-vans',
        surface: 'slack',
        userId,
        channelId: 'CTEAM',
        threadTs: `${run.slot.getTime()}.${++n}`,
        drillId: run.id,
      });
      if (text !== null) {
        await practice.submit(session.id, { text, externalId: `m${n}` });
        await practice.requestEnd(session.id);
      }
      await practice.run(session.id);
    }
  };

  it('posts a due drill exactly once when two schedulers tick at the same time', async () => {
    const a = scheduler('A');
    const b = scheduler('B', second ?? db);
    const { drill, first } = await schedule(a);
    expect(first).toEqual(SLOT1);
    expect(drill.id).toMatch(/^d[a-z2-9]{6}$/);

    clock.now = plus(SLOT1, -1000);
    expect(await Promise.all([a.tick(), b.tick()])).toEqual([
      { posted: [], closed: [] },
      { posted: [], closed: [] },
    ]);
    clock.now = plus(SLOT1, 5000);
    // Two ticks on each instance: the second call in a process joins the pass already running.
    const results = await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    expect(new Set(results.flatMap((r) => r.posted)).size).toBe(1);
    expect(posted).toEqual([
      { kind: 'drill', by: expect.any(String), runId: `${drill.id}-20250324T0800Z`, retry: false },
    ]);
    // Later ticks of either instance find the run posted.
    clock.now = plus(SLOT1, 60_000);
    await Promise.all([a.tick(), b.tick()]);
    expect(posted).toHaveLength(1);
    const [run] = await createDrillStore(db).runs(drill.id);
    expect(run).toMatchObject({ slot: SLOT1, closesAt: SLOT2, attempts: 1, messageTs: 'ts-1' });
    expect(run?.postedAt).toEqual(plus(SLOT1, 5000));
  });

  it('catches up after downtime: closes last week with its summary, then posts the missed slot late, once', async () => {
    const a = scheduler('A');
    const { drill } = await schedule(a);
    clock.now = plus(SLOT1, 1000);
    await a.tick();
    const [run1] = await createDrillStore(db).runs(drill.id);
    await practise(run1!, [
      ['U1', 'I want to connect with you'],
      ['U2', 'reading my script now'],
      ['U3', 'hello'],
      ['U4', null],
    ]);

    // Every instance is down from Monday 24th until Wednesday 2 April; a fresh one starts.
    clock.now = new Date('2025-04-02T12:00:00Z');
    const restarted = scheduler('A2');
    const result = await restarted.tick();
    expect(result.closed).toEqual([run1!.id]);
    expect(result.posted).toEqual([`${drill.id}-20250331T0700Z`]);
    expect(posted.map((p) => `${p.kind} ${p.runId}`)).toEqual([
      `drill ${run1!.id}`,
      `summary ${run1!.id}`,
      `drill ${drill.id}-20250331T0700Z`,
    ]);
    const summary = posted[1]!.report!;
    expect(summary.summary).toMatchObject({
      participants: ['U1', 'U2', 'U3', 'U4'],
      finished: 3,
      unfinished: 1,
      verdicts: { connected: 1, mixed: 1, script: 1 },
      topGap: { gap: 'no_recap', count: 3 },
      weakest: { id: 'close', average: 1 },
    });
    expect(summary.change).toBeNull();

    // Nothing more this week, from any instance.
    clock.now = plus(clock.now, 3_600_000);
    expect(await restarted.tick()).toEqual({ posted: [], closed: [] });
    expect(await a.tick()).toEqual({ posted: [], closed: [] });
    expect(posted).toHaveLength(3);
  });

  it('only posts the latest missed slot after a long outage', async () => {
    const a = scheduler('A');
    const { drill } = await schedule(a);
    clock.now = plus(SLOT3, 3_600_000);
    expect((await a.tick()).posted).toEqual([`${drill.id}-20250407T0700Z`]);
    expect(posted).toHaveLength(1);
  });

  it('posts the summary of `results` with the change since the previous run, once', async () => {
    const a = scheduler('A');
    const { drill } = await schedule(a);
    const store = createDrillStore(db);
    clock.now = plus(SLOT1, 1000);
    await a.tick();
    const [run1] = await store.runs(drill.id);
    await practise(run1!, [
      ['U1', 'script'],
      ['U2', 'hello'],
    ]);
    clock.now = plus(SLOT2, 1000);
    await a.tick();
    const [run2] = await store.runs(drill.id);
    expect(run2!.slot).toEqual(SLOT2);
    await practise(run2!, [
      ['U1', 'connect'],
      ['U2', 'connect'],
      ['U3', 'script'],
    ]);
    expect(await a.openInChannel('CTEAM')).toEqual([
      { drill: expect.objectContaining({ id: drill.id }), run: expect.objectContaining({ id: run2!.id }) },
    ]);

    clock.now = plus(SLOT2, 86_400_000);
    expect(await a.close(run2!.id, 'results')).toBe(true);
    expect(await a.close(run2!.id, 'results')).toBe(false);
    const report = posted.at(-1)!.report!;
    expect(report.summary.verdicts).toEqual({ connected: 2, mixed: 0, script: 1 });
    expect(report.change).toEqual({
      participants: { now: 3, before: 2 },
      connected: { now: 2 / 3, before: 0 },
      gap: { gap: 'no_recap', now: 1, before: 1 },
      weakest: { id: 'close', now: 1, before: 1 },
    });
    expect(await a.openInChannel('CTEAM')).toEqual([]);
    // Its week ending later does not post the results again.
    clock.now = plus(SLOT3, 1000);
    const tick = await a.tick();
    expect(tick.closed).toEqual([]);
    expect(posted.filter((p) => p.kind === 'summary' && p.runId === run2!.id)).toHaveLength(1);
  });

  it('takes over a claim whose instance died, and asks the poster to look for the earlier post first', async () => {
    const a = scheduler('A');
    const { drill } = await schedule(a);
    const store = createDrillStore(db);
    // Instance "dead" claimed this week's slot and vanished before recording the post.
    clock.now = plus(SLOT1, 1000);
    expect(
      await store.claimRun({
        drillId: drill.id,
        slot: SLOT1,
        closesAt: SLOT2,
        owner: 'dead',
        now: clock.now,
        leaseMs: 60_000,
      }),
    ).not.toBeNull();
    expect((await a.tick()).posted).toEqual([]);
    // After the lease: A takes over; the earlier post is found (it did go out), so nothing is posted again.
    clock.now = plus(SLOT1, 62_000);
    a.control.found = 'ts-earlier';
    expect((await a.tick()).posted).toEqual([`${drill.id}-20250324T0800Z`]);
    expect(posted).toEqual([]);
    expect(await store.getRun(`${drill.id}-20250324T0800Z`)).toMatchObject({
      attempts: 2,
      messageTs: 'ts-earlier',
    });
  });

  it('tries again after a transient failure, and never again after Slack refuses for good', async () => {
    const a = scheduler('A');
    const { drill } = await schedule(a);
    clock.now = plus(SLOT1, 1000);
    a.control.fail.push(new Error('socket hang up'));
    expect((await a.tick()).posted).toEqual([]);
    clock.now = plus(SLOT1, 31_000);
    expect((await a.tick()).posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ kind: 'drill', retry: true });

    clock.now = plus(SLOT2, 1000);
    a.control.fail.push(new AppError('forbidden', 'Sparring cannot post in <#CTEAM> (not_in_channel).'));
    const refused = await a.tick();
    expect(refused.posted).toEqual([]);
    expect(a.control.failures).toEqual([`${drill.id}-20250331T0700Z: forbidden`]);
    clock.now = plus(SLOT2, 120_000);
    expect((await a.tick()).posted).toEqual([]);
    expect(await createDrillStore(db).getRun(`${drill.id}-20250331T0700Z`)).toMatchObject({
      postedAt: null,
      error: expect.stringContaining('not_in_channel'),
    });
    // Its week ends without a summary (it never reached the channel); the next week posts as usual.
    clock.now = plus(SLOT3, 1000);
    const next = await a.tick();
    expect(next.closed).toEqual([`${drill.id}-20250331T0700Z`]);
    expect(next.posted).toEqual([`${drill.id}-20250407T0700Z`]);
    expect(posted.filter((p) => p.kind === 'summary').map((p) => p.runId)).toEqual([
      `${drill.id}-20250324T0800Z`,
    ]);
  });

  it('stops a drill: its open week closes with a summary and nothing more is posted', async () => {
    const a = scheduler('A');
    const { drill } = await schedule(a);
    clock.now = plus(SLOT1, 1000);
    await a.tick();
    expect(await a.stop(drill.id, 'UMGR')).toMatchObject({ stopped: true, drill: { stoppedBy: 'UMGR' } });
    expect(await a.stop(drill.id, 'UMGR')).toMatchObject({ stopped: false });
    expect(await a.stop('dnothere', 'UMGR')).toBeNull();
    expect(posted.map((p) => p.kind)).toEqual(['drill', 'summary']);
    clock.now = plus(SLOT2, 1000);
    expect(await a.tick()).toEqual({ posted: [], closed: [] });
  });

  it('refuses a time zone it does not know', async () => {
    const a = scheduler('A');
    await expect(
      a.schedule({
        teamId: null,
        channelId: 'C1',
        scenarioId: 'x',
        weekday: 1,
        time: '09:00',
        timeZone: 'Mars/Olympus',
        createdBy: 'U',
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
