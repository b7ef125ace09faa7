import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as {
  features: { slash_commands: Array<{ command: string }>; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
};

describe('manifest.json', () => {
  it('asks for every scope, event and feature the Slack layer uses', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
      [
        'app_mentions:read',
        'channels:history',
        'chat:write',
        'commands',
        'groups:history',
        'im:history',
        'im:write',
        'mpim:history',
        'reactions:write',
        // users.info: the manager check (admins, owners) and the time zone of a drill
        'users:read',
        // files.info and url_private: scenario YAML sent in a direct message
        'files:read',
      ].sort(),
    );
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(
      [
        'app_home_opened',
        'app_mention',
        'message.channels',
        'message.groups',
        'message.im',
        'message.mpim',
      ].sort(),
    );
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/spar']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    // App Home: the rep's sessions and the catalogue; for managers the team, drills and usage.
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
