import { describe, expect, it } from 'vitest';
import type { WebClient } from '../../src/slack/deps.js';
import { createPeople } from '../../src/slack/people.js';
import { silentLogger } from '../helpers/db.js';

/** A users.info that answers from a table, counts its calls, and can fail. */
function directory(users: Record<string, Record<string, unknown>>) {
  const state = { calls: 0, down: false };
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        state.calls += 1;
        if (state.down)
          throw Object.assign(new Error('An API error occurred: fatal_error'), {
            data: { error: 'fatal_error' },
          });
        const u = users[user];
        if (!u) throw Object.assign(new Error('user_not_found'), { data: { error: 'user_not_found' } });
        return { ok: true, user: { id: user, ...u } };
      },
    },
  } as unknown as WebClient;
  return { client, state };
}

describe('managers', () => {
  it('are the configured users, without asking Slack, and workspace admins and owners, by users.info', async () => {
    const { client, state } = directory({
      UADMIN: { is_admin: true, tz: 'Europe/Oslo' },
      UOWNER: { is_owner: true },
      UPRIMARY: { is_primary_owner: true },
      UREP: { is_admin: false, tz: 'Europe/Stockholm' },
    });
    const people = createPeople({ client, managers: ['UMGR'], logger: silentLogger });
    expect(await people.isManager('UMGR')).toBe(true);
    expect(state.calls).toBe(0);
    expect(await people.isManager('UADMIN')).toBe(true);
    expect(await people.isManager('UOWNER')).toBe(true);
    expect(await people.isManager('UPRIMARY')).toBe(true);
    expect(await people.isManager('UREP')).toBe(false);
    expect(await people.isManager('UNOBODY')).toBe(false);
    expect(await people.timeZone('UADMIN')).toBe('Europe/Oslo');
    await expect(people.timeZone('UOWNER')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('caches answers briefly, asks once for concurrent lookups, and never caches a failure', async () => {
    let now = 0;
    const { client, state } = directory({ UADMIN: { is_admin: true } });
    const people = createPeople({
      client,
      managers: [],
      logger: silentLogger,
      ttlMs: 60_000,
      now: () => now,
    });
    expect(await Promise.all([people.isManager('UADMIN'), people.isManager('UADMIN')])).toEqual([true, true]);
    expect(state.calls).toBe(1);
    now = 59_000;
    expect(await people.isManager('UADMIN')).toBe(true);
    expect(state.calls).toBe(1);
    now = 61_000;
    state.down = true;
    // Slack does not answer: refused for now, and asked again next time rather than remembered.
    expect(await people.isManager('UADMIN')).toBe(false);
    await expect(people.lookup('UADMIN')).rejects.toMatchObject({ code: 'slack_unavailable' });
    state.down = false;
    expect(await people.isManager('UADMIN')).toBe(true);
    expect(state.calls).toBe(4);
  });
});
