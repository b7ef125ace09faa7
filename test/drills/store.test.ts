import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Buyer } from '../../src/buyer/types.js';
import type { Coach } from '../../src/coach/coach.js';
import { createPractice } from '../../src/practice/practice.js';
import { createCatalog } from '../../src/scenarios/catalog.js';
import { createLiveCatalog } from '../../src/scenarios/live-catalog.js';
import type { Db } from '../../src/store/db.js';
import { createDrillStore } from '../../src/store/drills.js';
import { migrate } from '../../src/store/migrations.js';
import { createScenarioStore } from '../../src/store/scenarios.js';
import { createSessionStore } from '../../src/store/sessions.js';
import { createStatsStore } from '../../src/store/stats.js';
import { backends, freshDb, silentLogger } from '../helpers/db.js';
import { fakeBuyer, fixtureScenarios } from '../slack/harness.js';
import { uploadYaml } from './fixtures.js';
import { verdictCoach } from './team-harness.js';

describe.each(backends)('team stores (%s)', (kind) => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    ({ db, drop } = await freshDb(kind));
  });
  afterEach(async () => {
    await drop();
  });

  it('applies migration 2 once', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  it('stores scenarios written in Slack: revisions, retirement, and a fingerprint that follows both', async () => {
    const store = createScenarioStore(db);
    const empty = await store.fingerprint();
    const first = await store.save({
      id: 'da-upload',
      yaml: uploadYaml('da-upload'),
      title: 'A',
      language: 'da',
      by: 'U1',
    });
    expect(first).toMatchObject({
      replaced: false,
      scenario: { revision: 1, createdBy: 'U1', retiredAt: null },
    });
    const afterSave = await store.fingerprint();
    expect(afterSave).not.toBe(empty);
    const second = await store.save({
      id: 'da-upload',
      yaml: uploadYaml('da-upload', 'B'),
      title: 'B',
      language: 'da',
      by: 'U2',
    });
    expect(second).toMatchObject({
      replaced: true,
      scenario: { revision: 2, createdBy: 'U1', updatedBy: 'U2', title: 'B' },
    });
    const afterReplace = await store.fingerprint();
    expect(afterReplace).not.toBe(afterSave);
    expect(await store.retire('da-upload', 'U3')).toMatchObject({
      retiredBy: 'U3',
      retiredAt: expect.any(Date),
    });
    expect(await store.fingerprint()).not.toBe(afterReplace);
    expect(await store.retire('nope', 'U3')).toBeNull();
    // Replacing a retired scenario brings it back.
    const back = await store.save({
      id: 'da-upload',
      yaml: uploadYaml('da-upload'),
      title: 'C',
      language: 'da',
      by: 'U1',
    });
    expect(back.scenario).toMatchObject({ revision: 3, retiredAt: null, retiredBy: null });
    expect((await store.list()).map((s) => s.id)).toEqual(['da-upload']);
  });

  it('gives App Home its sessions, verdicts and monthly usage per model, and a drill its attempts', async () => {
    const base = fakeBuyer().buyer;
    // A buyer on a model: each answer costs tokens, most of them cached.
    const buyer: Buyer = {
      ...base,
      mode: 'llm',
      reply: async (input) => ({
        ...(await base.reply(input)),
        usage: { inputTokens: 1000, cachedInputTokens: 800, outputTokens: 50 },
      }),
    };
    // The coach on another model, with tokens of its own: usage keeps them apart to price each model.
    const coach: Coach = {
      ...verdictCoach(),
      evaluate: async (transcript, scenario) => ({
        ...(await verdictCoach().evaluate(transcript, scenario)),
        usage: { inputTokens: 500, cachedInputTokens: 0, outputTokens: 100 },
      }),
    };
    const sessions = createSessionStore(db);
    const practice = createPractice({
      store: sessions,
      catalog: createCatalog(fixtureScenarios()),
      buyer,
      coach,
      deliver: async () => null,
      logger: silentLogger,
      models: { buyer: 'gpt-4.1-mini', coach: 'gpt-4.1' },
    });
    const play = async (userId: string, text: string, drillId: string | null, n: number) => {
      const s = await practice.start({
        scenarioId: 'en-fixture-vans',
        surface: 'slack',
        userId,
        channelId: 'C1',
        threadTs: `1.${n}`,
        drillId,
      });
      await practice.submit(s.id, { text, externalId: `e${n}` });
      await practice.requestEnd(s.id);
      await practice.run(s.id);
      return s;
    };
    await play('U1', 'script', null, 1);
    await play('U1', 'connect', 'd1-run', 2);
    await play('U2', 'hello', 'd1-run', 3);
    const open = await practice.start({
      scenarioId: 'en-fixture-vans',
      surface: 'slack',
      userId: 'U1',
      channelId: 'C1',
      threadTs: '1.4',
    });

    const stats = createStatsStore(db);
    const mine = await stats.recentSessions({ userId: 'U1' });
    expect(mine.map((s) => [s.status, s.verdict, s.drillId])).toEqual([
      ['active', null, null],
      ['ended', 'connected', 'd1-run'],
      ['ended', 'script', null],
    ]);
    expect(mine[0]!.id).toBe(open.id);
    expect(await stats.verdicts('U1')).toEqual(['connected', 'script']);
    expect((await stats.recentSessions({ limit: 2 })).map((s) => s.userId)).toEqual(['U1', 'U2']);

    const usage = await stats.usageSince(new Date(Date.now() - 60_000));
    // Three sessions were coached (500 + 100 tokens each), the open one not yet.
    expect(usage).toEqual([
      {
        mode: 'llm',
        buyerModel: 'gpt-4.1-mini',
        coachModel: 'gpt-4.1',
        sessions: 4,
        inputTokens: 3000 + 1500,
        cachedInputTokens: 2400,
        outputTokens: 150 + 300,
        coach: { inputTokens: 1500, cachedInputTokens: 0, outputTokens: 300 },
      },
    ]);
    expect(await stats.usageSince(new Date(Date.now() + 60_000))).toEqual([]);

    const drills = createDrillStore(db);
    const attempts = await drills.attempts('d1-run');
    expect(attempts.map((a) => [a.userId, a.status, a.feedback?.verdict])).toEqual([
      ['U1', 'ended', 'connected'],
      ['U2', 'ended', 'mixed'],
    ]);
    expect(await drills.attemptOf('d1-run', 'U2')).toEqual({ channelId: 'C1', threadTs: '1.3' });
    expect(await drills.attemptOf('d1-run', 'U3')).toBeNull();
  });

  it('keeps two live catalogs on one database in step, files first, retired ones out of the pickers', async () => {
    const files = fixtureScenarios();
    const store = createScenarioStore(db);
    const a = await createLiveCatalog({ files, source: store, logger: silentLogger });
    const b = await createLiveCatalog({ files, source: createScenarioStore(db), logger: silentLogger });
    expect(a.all().map((s) => s.id)).toEqual(['en-fixture-vans', 'sv-fixture-avslut']);

    await store.save({
      id: 'da-upload',
      yaml: uploadYaml('da-upload'),
      title: 'Uploaded buyer',
      language: 'da',
      by: 'U1',
    });
    // A file's id in the table (a file added after the upload): the file wins.
    await store.save({
      id: 'en-fixture-vans',
      yaml: uploadYaml('en-fixture-vans', 'Shadowed'),
      title: 'Shadowed',
      language: 'da',
      by: 'U1',
    });
    expect(b.get('da-upload')).toBeUndefined();
    expect(await b.refresh()).toBe(true);
    expect(await b.refresh()).toBe(false);
    expect(b.all().map((s) => s.id)).toEqual(['da-upload', 'en-fixture-vans', 'sv-fixture-avslut']);
    expect(b.get('en-fixture-vans')?.title).toBe('Vans & <trackers>');
    expect([b.origin('da-upload'), b.origin('en-fixture-vans'), b.origin('nope')]).toEqual([
      'slack',
      'file',
      undefined,
    ]);
    expect(b.require('da-upload').source).toBe('slack:da-upload');

    await store.retire('da-upload', 'U1');
    // The other instance's timer picks the change up within its interval.
    b.startRefresh(20);
    await expect.poll(() => b.isRetired('da-upload'), { timeout: 5000, interval: 20 }).toBe(true);
    b.stopRefresh();
    expect(b.summaries().map((s) => s.id)).not.toContain('da-upload');
    expect(b.get('da-upload')?.title).toBe('Uploaded buyer');
    expect(() => b.require('da-upload')).toThrow(/retired/);
    expect(() => b.require('nope')).toThrow(/Unknown scenario "nope"/);
    await a.refresh();
    expect(a.isRetired('da-upload')).toBe(true);
  });
});
