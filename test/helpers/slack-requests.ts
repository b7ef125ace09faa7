import { createHmac } from 'node:crypto';
import { TEAM_ID } from './fake-slack.js';

/** Slack's v0 request signature: HMAC-SHA256 over `v0:${timestamp}:${rawBody}` with the signing secret. */
export const signature = (secret: string, timestamp: number, body: string): string =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

export type SlackResponse = { status: number; body: string; json(): unknown };

export type PostOptions = {
  /** Sign with this secret instead of the right one. */
  secret?: string;
  /** Seconds since the epoch to sign with (a stale request uses one far in the past). */
  timestamp?: number;
  retryNum?: number;
};

let eventSeq = 0;
export const newEventId = () => `Ev${Date.now().toString(36).toUpperCase()}${++eventSeq}`;
let triggerSeq = 0;
/** Slack's trigger ids are unique per interaction; two clicks in one millisecond are two interactions. */
export const newTriggerId = () => `trig.${Date.now()}.${++triggerSeq}`;

/** Sends correctly signed Slack requests (slash commands, events, block actions) to the app's /slack/events. */
export function slackRequests(opts: { baseUrl: string; signingSecret: string }) {
  const post = async (body: string, contentType: string, o: PostOptions = {}): Promise<SlackResponse> => {
    const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(`${opts.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(o.secret ?? opts.signingSecret, timestamp, body),
        ...(o.retryNum === undefined
          ? {}
          : { 'x-slack-retry-num': String(o.retryNum), 'x-slack-retry-reason': 'http_timeout' }),
      },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text, json: () => JSON.parse(text) };
  };

  return {
    post,

    /** A slash command, form-encoded as Slack sends it. */
    command(
      c: { text: string; userId: string; channelId: string; responseUrl: string; command?: string },
      o?: PostOptions,
    ) {
      const body = new URLSearchParams({
        token: 'legacy',
        team_id: TEAM_ID,
        team_domain: 'test',
        channel_id: c.channelId,
        channel_name: c.channelId.startsWith('D') ? 'directmessage' : 'sales',
        user_id: c.userId,
        user_name: c.userId.toLowerCase(),
        command: c.command ?? '/spar',
        text: c.text,
        api_app_id: 'A0001',
        response_url: c.responseUrl,
        trigger_id: newTriggerId(),
      }).toString();
      return post(body, 'application/x-www-form-urlencoded', o);
    },

    /** An Events API event_callback (JSON). */
    event(event: Record<string, unknown>, o: PostOptions & { eventId?: string } = {}) {
      const body = JSON.stringify({
        token: 'legacy',
        team_id: TEAM_ID,
        api_app_id: 'A0001',
        type: 'event_callback',
        event_id: o.eventId ?? newEventId(),
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: TEAM_ID, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
        event,
      });
      return post(body, 'application/json', o);
    },

    /** A rep's (or anyone's) message in a thread, as a message event. */
    message(
      m: { user: string; channel: string; text: string; ts: string; threadTs?: string; subtype?: string },
      o?: PostOptions & { eventId?: string },
    ) {
      return this.event(
        {
          type: 'message',
          ...(m.subtype ? { subtype: m.subtype } : {}),
          channel: m.channel,
          channel_type: m.channel.startsWith('D') ? 'im' : 'channel',
          user: m.user,
          text: m.text,
          ts: m.ts,
          ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
          event_ts: m.ts,
        },
        o,
      );
    },

    /** An @mention of the app, as an app_mention event (Slack sends the plain message event beside it). */
    mention(
      m: { user: string; channel: string; text: string; ts: string; threadTs?: string },
      o?: PostOptions & { eventId?: string },
    ) {
      return this.event(
        {
          type: 'app_mention',
          channel: m.channel,
          user: m.user,
          text: m.text,
          ts: m.ts,
          ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
          event_ts: m.ts,
        },
        o,
      );
    },

    /** A block action (button click), form-encoded as payload=…. */
    action(
      a: {
        actionId: string;
        value?: string;
        userId: string;
        channelId: string;
        messageTs: string;
        threadTs?: string;
        responseUrl: string;
        ephemeral?: boolean;
        /** The clicked message's blocks and text, as Slack sends them along (for listeners that update it). */
        messageBlocks?: unknown[];
        messageText?: string;
        /** An overflow menu or select instead of a button: the chosen option's value. */
        selectedOption?: string;
      },
      o?: PostOptions,
    ) {
      const payload = {
        type: 'block_actions',
        user: { id: a.userId, username: a.userId.toLowerCase(), team_id: TEAM_ID },
        api_app_id: 'A0001',
        token: 'legacy',
        team: { id: TEAM_ID, domain: 'test' },
        container: {
          type: 'message',
          message_ts: a.messageTs,
          channel_id: a.channelId,
          is_ephemeral: Boolean(a.ephemeral),
          ...(a.threadTs ? { thread_ts: a.threadTs } : {}),
        },
        trigger_id: newTriggerId(),
        channel: { id: a.channelId, name: 'sales' },
        ...(a.ephemeral
          ? {}
          : {
              message: {
                type: 'message',
                ts: a.messageTs,
                ...(a.threadTs ? { thread_ts: a.threadTs } : {}),
                ...(a.messageBlocks ? { blocks: a.messageBlocks } : {}),
                ...(a.messageText === undefined ? {} : { text: a.messageText }),
              },
            }),
        response_url: a.responseUrl,
        actions: [
          {
            type: a.selectedOption === undefined ? 'button' : 'overflow',
            action_id: a.actionId,
            block_id: 'b1',
            ...(a.value === undefined ? {} : { value: a.value }),
            ...(a.selectedOption === undefined ? {} : { selected_option: { value: a.selectedOption } }),
            action_ts: String(Date.now() / 1000),
          },
        ],
      };
      return post(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
        o,
      );
    },
  };
}

export type SlackRequests = ReturnType<typeof slackRequests>;
