import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/domain/language.js';
import { MESSAGES } from '../../src/i18n/messages.js';
import type { WebClient } from '../../src/slack/deps.js';
import { createPeople, MANAGERS_ONLY, managersOnly } from '../../src/slack/people.js';
import { REP, startTeamHarness, type TeamHarness } from '../drills/team-harness.js';
import { silentLogger } from '../helpers/db.js';

/** A users.info that answers from a table and records what it was asked. */
function directory(users: Record<string, Record<string, unknown>>) {
  const asked: Array<Record<string, unknown>> = [];
  const client = {
    users: {
      info: async (args: { user: string }) => {
        asked.push(args);
        const u = users[args.user];
        if (!u) throw Object.assign(new Error('user_not_found'), { data: { error: 'user_not_found' } });
        return { ok: true, user: { id: args.user, ...u } };
      },
    },
  } as unknown as WebClient;
  return { client, asked };
}

describe('the managers-only refusal', () => {
  it('never names a setting, in any language', () => {
    for (const lang of LANGUAGES) {
      const text = MESSAGES[lang].managersOnly;
      expect(text, lang).not.toMatch(/SPARRING_|[A-Z]{3,}_[A-Z]+/);
      expect(text, lang).not.toBe('');
    }
    // Real translations: no two languages share the sentence.
    expect(new Set(LANGUAGES.map((l) => MESSAGES[l].managersOnly)).size).toBe(LANGUAGES.length);
    expect(MANAGERS_ONLY).toBe('Only managers can do that (ask your workspace admin).');
  });

  it('is said in the language of the user’s Slack locale, English when Slack has none or another', async () => {
    const { client, asked } = directory({
      USV: { locale: 'sv-SE' },
      UDA: { locale: 'da-DK' },
      UNL: { locale: 'nl-NL' },
      UFR: { locale: 'fr-FR' },
      UNONE: {},
    });
    const people = createPeople({ client, managers: [], logger: silentLogger });
    expect(await people.language('USV')).toBe('sv');
    expect(await managersOnly(people, 'USV')).toBe(MESSAGES.sv.managersOnly);
    expect(await managersOnly(people, 'UDA')).toBe(MESSAGES.da.managersOnly);
    expect(await managersOnly(people, 'UNL')).toBe(MESSAGES.nl.managersOnly);
    expect(await managersOnly(people, 'UFR')).toBe(MESSAGES.en.managersOnly);
    expect(await managersOnly(people, 'UNONE')).toBe(MESSAGES.en.managersOnly);
    // Slack lookup fails: still an answer, in English.
    expect(await managersOnly(people, 'UGONE')).toBe(MESSAGES.en.managersOnly);
    // Slack only includes the locale when asked to.
    expect(asked.every((a) => a.include_locale === true)).toBe(true);
  });
});

describe('/spar drill refused to a Swedish rep', () => {
  let h: TeamHarness;
  beforeAll(async () => {
    h = await startTeamHarness();
    h.slack.users.set(REP, { id: REP, tz: 'Europe/Stockholm', locale: 'sv-SE' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers in Swedish, without naming a setting', async () => {
    const res = await h.send.command({
      text: 'drill results',
      userId: REP,
      channelId: 'CMGRONLY',
      responseUrl: h.slack.responseUrl('mgr1'),
    });
    expect(res.status).toBe(200);
    const answer = await h.slack.waitFor(
      () => h.slack.callsTo('response_url').find((c) => c.args.url === '/respond/mgr1'),
      { what: 'the refusal' },
    );
    expect(String(answer.args.text)).toContain(MESSAGES.sv.managersOnly);
    expect(JSON.stringify(answer.args)).not.toContain('SPARRING_MANAGERS');
  });
});
