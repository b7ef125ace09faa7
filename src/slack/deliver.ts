import { z } from 'zod';
import type { InboxItem, OutboxItem, Session, StoredTurn } from '../domain/session.js';
import { AppError } from '../errors.js';
import { fill, messages } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import type { Deliver } from '../practice/practice.js';
import { type ScenarioCatalog, summarize } from '../scenarios/catalog.js';
import type { SessionStore } from '../store/sessions.js';
import { ACTION_IDS } from './action-ids.js';
import { feedbackCard, feedbackText, quotedTurns } from './blocks/feedback.js';
import type { KnownBlock } from './blocks/kit.js';
import {
  buyerReplyBlocks,
  failureBlocks,
  failureReason,
  noticeBlocks,
  openingBlocks,
  type SessionEnd,
  sessionEndedBlocks,
  sessionEndedText,
  sessionHeaderText,
  sessionStartBlocks,
} from './blocks/session.js';
import { slackErrorCode, type WebClient } from './deps.js';
import { escapeText, FALLBACK_TEXT_LIMIT, truncate } from './text.js';

/** Shown on the rep's message while the buyer is writing, where Slack refuses the thread's status line. */
export const THINKING_REACTION = 'thought_balloon';

/** How long the model may take before the rep is shown that the buyer is writing. */
export const THINKING_DELAY_MS = 600;

/**
 * Whether an error of assistant.threads.setStatus says the status line is not there for the whole app: the
 * method itself, or the token (see PERMANENT below); any other Slack error says so for that conversation only.
 */
const statusOffForApp = (code: string) =>
  code === 'unknown_method' || code === 'method_deprecated' || PERMANENT[code] === 'token';

/**
 * What shows that the buyer is writing, per rep message in the works: the timer that shows it, then whether (and
 * how) it is shown once Slack has answered; `settled` once that answer is in.
 */
type Thinking = {
  timer: NodeJS.Timeout | null;
  shown: Promise<'status' | 'reaction' | null> | null;
  settled: boolean;
};
/** Per Web API client (the indicator and the delivery of one app share it). */
type ThinkingState = {
  entries: Map<string, Thinking>;
  /** Conversations where Slack refused the status line; `'*'`: everywhere. */
  noStatus: Set<string>;
};
const thinkingOf = new WeakMap<WebClient, ThinkingState>();
const thinkingFor = (client: WebClient): ThinkingState => {
  let state = thinkingOf.get(client);
  if (!state) {
    state = { entries: new Map(), noStatus: new Set() };
    thinkingOf.set(client, state);
  }
  return state;
};
const thinkingKey = (channel: string, ts: string) => `${channel} ${ts}`;
/** An indicator whose answer never came (the session ended meanwhile) is forgotten after this. */
const THINKING_FORGET_MS = 15 * 60_000;
/** Conversations remembered as having no status line, at most (then the list starts again). */
const NO_STATUS_LIMIT = 10_000;

/**
 * Shows that the buyer is writing the answer to the rep's message, but only when the model has not answered
 * within `delayMs`: the thread's status line ("Sparring is typing…", in the scenario's language, through
 * assistant.threads.setStatus), which Slack clears itself when the answer is posted in the thread. A slow turn
 * costs two Web API calls and a fast one only the reply. Where Slack refuses the status line (an app without the
 * method or its scope, a conversation that does not allow it), the 💭 reaction on the rep's message stands in,
 * and the delivery of the answer takes it down again (three calls).
 */
export function createTypingIndicator(deps: {
  client: WebClient;
  logger: Logger;
  delayMs?: number;
}): (session: Session, item: InboxItem) => Promise<void> {
  const log = deps.logger.child({ module: 'slack' });
  const delayMs = deps.delayMs ?? THINKING_DELAY_MS;
  const state = thinkingFor(deps.client);

  const addReaction = (session: Session, channel: string, ts: string) =>
    deps.client.reactions.add({ channel, timestamp: ts, name: THINKING_REACTION }).then(
      () => 'reaction' as const,
      (err: unknown) => {
        // A retry after a failure finds the reaction still there.
        if (slackErrorCode(err) === 'already_reacted') return 'reaction' as const;
        log.debug({ err, sessionId: session.id }, 'reaction failed');
        return null;
      },
    );

  const show = async (session: Session, channel: string, ts: string) => {
    const threadTs = session.threadTs;
    if (!threadTs || state.noStatus.has('*') || state.noStatus.has(channel)) {
      return addReaction(session, channel, ts);
    }
    try {
      await deps.client.assistant.threads.setStatus({
        channel_id: channel,
        thread_ts: threadTs,
        status: messages(session.language).buyerTyping,
      });
      return 'status' as const;
    } catch (err) {
      const code = slackErrorCode(err);
      if (!code) {
        // The network or Slack's 5xx: this once without an indicator.
        log.debug({ err, sessionId: session.id }, 'setting the status failed');
        return null;
      }
      if (state.noStatus.size >= NO_STATUS_LIMIT) state.noStatus.clear();
      state.noStatus.add(statusOffForApp(code) ? '*' : channel);
      log.info(
        { code, channel, sessionId: session.id },
        'Slack refused the thread status; the 💭 reaction shows that the buyer is writing',
      );
      return addReaction(session, channel, ts);
    }
  };

  return async (session, item) => {
    const channel = session.channelId;
    const ts = item.externalId;
    if (item.kind !== 'message' || !channel || !ts) return;
    const key = thinkingKey(channel, ts);
    // A retry of the same message while its indicator is pending or up: that one stands.
    if (state.entries.has(key)) return;
    const entry: Thinking = { timer: null, shown: null, settled: false };
    entry.timer = setTimeout(() => {
      entry.timer = null;
      entry.shown = show(session, channel, ts).then((shown) => {
        entry.settled = true;
        return shown;
      });
    }, delayMs);
    entry.timer.unref();
    state.entries.set(key, entry);
    setTimeout(() => {
      if (state.entries.get(key) === entry) state.entries.delete(key);
    }, THINKING_FORGET_MS).unref();
  };
}

/**
 * Slack errors that no retry can fix, by what they are about. A `thread` error means nothing can be posted in the
 * session's thread (the rep is told in a DM); a `message` error is about this one message (the rep is told in
 * the thread); a `token` error means the app cannot post anything anywhere (only the log can say so).
 */
const PERMANENT: Record<string, 'thread' | 'message' | 'token'> = {
  not_in_channel: 'thread',
  channel_not_found: 'thread',
  is_archived: 'thread',
  restricted_action: 'thread',
  restricted_action_read_only_channel: 'thread',
  restricted_action_thread_only_channel: 'thread',
  restricted_action_non_threadable_channel: 'thread',
  cannot_reply_to_message: 'thread',
  thread_locked: 'thread',
  team_access_not_granted: 'thread',
  msg_too_long: 'message',
  no_text: 'message',
  invalid_blocks: 'message',
  invalid_blocks_format: 'message',
  invalid_arguments: 'message',
  invalid_metadata_format: 'message',
  too_many_attachments: 'message',
  account_inactive: 'token',
  invalid_auth: 'token',
  not_authed: 'token',
  token_revoked: 'token',
  token_expired: 'token',
  missing_scope: 'token',
  not_allowed_token_type: 'token',
  ekm_access_denied: 'token',
};

/** Right after a channel is created or shared, Slack may not know it yet: believed after this many tries. */
const CHANNEL_NOT_FOUND_TRIES = 3;

/**
 * Whether a failed Web API call can never succeed, and what it is about; null when a retry may help (the network,
 * Slack's 5xx, rate limits past the client's own retries, an error code not known to be final).
 */
export function permanentSlackError(
  err: unknown,
  attempt: number,
): { code: string; about: 'thread' | 'message' | 'token' } | null {
  const code = slackErrorCode(err);
  if (!code) return null;
  const about = PERMANENT[code];
  if (!about) return null;
  if (code === 'channel_not_found' && attempt < CHANNEL_NOT_FOUND_TRIES) return null;
  return { code, about };
}

/** A direct message with the app: everything in it is for the rep alone already. */
export const isDirectMessage = (channel: string): boolean => channel.startsWith('D');

/** The session's own message among the first replies of a thread: ours, with the End button. */
const RepliesSchema = z.object({
  messages: z.array(z.object({ ts: z.string(), blocks: z.unknown().optional() })).default([]),
});

/** Posts each stored message into the session's thread and returns its ts (the outbox ref). */
export function createSlackDeliver(deps: {
  client: WebClient;
  catalog: ScenarioCatalog;
  store: SessionStore;
  logger: Logger;
}): Deliver {
  const { client, catalog, store } = deps;
  const log = deps.logger.child({ module: 'slack' });

  const thinking = thinkingFor(client);
  /**
   * The answer is about to be posted in the thread: an indicator not shown yet never will be. Returns what to do
   * once it is posted (not if posting fails): a reaction is taken down; a status line Slack clears itself, unless
   * it was set while the answer was on its way (then it is cleared here, or it would stay up for two minutes).
   */
  const stopThinking = (channel: string, threadTs: string, ts: string | null): (() => Promise<void>) => {
    if (!ts) return async () => {};
    const key = thinkingKey(channel, ts);
    const entry = thinking.entries.get(key);
    if (!entry) return async () => {};
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    const settledBefore = entry.shown === null || entry.settled;
    // Taken down only once the answer is posted: if posting fails, its retry finds the indicator still here.
    return async () => {
      if (thinking.entries.get(key) === entry) thinking.entries.delete(key);
      const shown = await entry.shown;
      if (shown === 'reaction') {
        await client.reactions.remove({ channel, timestamp: ts, name: THINKING_REACTION }).catch((err) => {
          if (slackErrorCode(err) !== 'no_reaction') log.debug({ err }, 'removing the reaction failed');
        });
      } else if (shown === 'status' && !settledBefore) {
        await client.assistant.threads
          .setStatus({ channel_id: channel, thread_ts: threadTs, status: '' })
          .catch((err) => log.debug({ err }, 'clearing the status failed'));
      }
    };
  };

  /** Links each quoted turn to its message: rep turns by their own ts, buyer turns by the delivered refs. */
  const evidenceLinks = async (
    session: Session,
    channel: string,
    turns: readonly StoredTurn[],
    quoted: readonly number[],
  ) => {
    const tsByTurn = new Map<number, string>();
    const turnOfMessage = new Map<string, number>();
    for (const turn of turns) {
      if (turn.role === 'rep' && turn.externalId) {
        tsByTurn.set(turn.idx, turn.externalId);
        turnOfMessage.set(turn.externalId, turn.idx);
      }
    }
    for (const sent of await store.deliveredRefs(session.id)) {
      if (!sent.ref) continue;
      if (sent.payload.kind === 'opening') tsByTurn.set(0, sent.ref);
      if (sent.payload.kind === 'reply') {
        // The answer follows its message in the transcript; where that is moved when a message reached the
        // store late (turns are in written order), not where the answer was appended.
        const repTurn = sent.payload.inReplyTo ? turnOfMessage.get(sent.payload.inReplyTo) : undefined;
        tsByTurn.set(repTurn === undefined ? sent.payload.turn : repTurn + 1, sent.ref);
      }
    }
    const links = new Map<number, string>();
    await Promise.all(
      quoted.map(async (turn) => {
        const ts = tsByTurn.get(turn);
        if (!ts) return;
        try {
          const res = await client.chat.getPermalink({ channel, message_ts: ts });
          if (res.permalink) links.set(turn, res.permalink);
        } catch (err) {
          // A plain quote is still evidence; the link is a convenience.
          log.debug({ err, sessionId: session.id, turn }, 'no permalink for a quoted message');
        }
      }),
    );
    return links;
  };

  /**
   * A note for the rep alone: ephemeral in a channel (colleagues need not see it), a plain thread message in
   * the app's DM. Returns the posted ts (an ephemeral's message_ts).
   */
  const noteForRep = async (
    session: Session,
    channel: string,
    threadTs: string,
    text: string,
  ): Promise<string | null> => {
    if (session.userId && !isDirectMessage(channel)) {
      const res = await client.chat.postEphemeral({
        channel,
        user: session.userId,
        thread_ts: threadTs,
        text,
        blocks: noticeBlocks(text),
      });
      return res.message_ts ?? null;
    }
    const res = await client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text,
      blocks: noticeBlocks(text),
    });
    return res.ts ?? null;
  };

  /** The message with the End button: the thread's root, or (a session started by a mention) its first reply. */
  const findSessionMessage = async (channel: string, threadTs: string): Promise<string | null> => {
    const res = RepliesSchema.safeParse(
      await client.conversations.replies({ channel, ts: threadTs, limit: 10 }),
    );
    if (!res.success) return null;
    const endButton = `"action_id":"${ACTION_IDS.end}"`;
    return res.data.messages.find((m) => JSON.stringify(m.blocks ?? null).includes(endButton))?.ts ?? null;
  };

  /**
   * Once a session has ended, its root message says how (outcome, verdict, a link to the feedback) and loses
   * its End button. Best effort: the feedback is already in the thread, so a failure here is only logged.
   */
  const markEnded = async (
    session: Session,
    channel: string,
    threadTs: string,
    end: Omit<SessionEnd, 'feedbackLink'> & { feedbackTs: string | null },
  ) => {
    if (!session.userId) return;
    const t = messages(session.language);
    const scenario = catalog.get(session.scenarioId);
    const feedbackLink = end.feedbackTs
      ? await client.chat
          .getPermalink({ channel, message_ts: end.feedbackTs })
          .then((r) => r.permalink ?? null)
          .catch(() => null)
      : null;
    const ended: SessionEnd = { outcome: end.outcome, verdict: end.verdict, feedbackLink };
    const update = (ts: string) =>
      client.chat.update({
        channel,
        ts,
        text: truncate(sessionEndedText(t, ended), FALLBACK_TEXT_LIMIT),
        blocks: sessionEndedBlocks({
          t,
          userId: session.userId ?? '',
          scenarioId: session.scenarioId,
          scenario: scenario ? summarize(scenario) : null,
          end: ended,
        }),
      });
    try {
      try {
        await update(threadTs);
      } catch (err) {
        // Started by a mention: the root is the rep's own message, and the session's message is a reply.
        const code = slackErrorCode(err);
        if (code !== 'cant_update_message' && code !== 'message_not_found') throw err;
        const ts = await findSessionMessage(channel, threadTs);
        if (ts) await update(ts);
      }
    } catch (err) {
      log.warn({ err, sessionId: session.id }, 'could not mark the session message as ended');
    }
  };

  const toldAboutThread = new Set<string>();
  /** Tells the rep, where Slack still lets us, that a message of their session could not be posted. */
  const tellRep = async (session: Session, about: 'thread' | 'message' | 'token') => {
    const t = messages(session.language);
    const channel = session.channelId;
    try {
      if (about === 'message' && channel && session.threadTs) {
        await noteForRep(session, channel, session.threadTs, escapeText(t.undeliverableInThread));
      } else if (about === 'thread' && session.userId && channel && !toldAboutThread.has(session.id)) {
        // Once per session: every message left to post in that thread fails the same way.
        toldAboutThread.add(session.id);
        // A user id as the channel: the app's own DM with the rep.
        const text = fill(t.undeliverableThread, { channel });
        await client.chat.postMessage({ channel: session.userId, text, blocks: noticeBlocks(text) });
      }
    } catch (err) {
      log.debug({ err, sessionId: session.id }, 'could not tell the rep about an undeliverable message');
    }
  };

  const deliverOne = async (session: Session, item: OutboxItem): Promise<string | null> => {
    const channel = session.channelId;
    const threadTs = session.threadTs;
    if (session.surface !== 'slack' || !channel || !threadTs) {
      // A terminal session in a shared database: nothing to post, and nothing to retry forever.
      log.warn(
        { sessionId: session.id, surface: session.surface },
        'not a Slack session; message not posted',
      );
      return null;
    }
    const t = messages(session.language);
    const scenario = catalog.get(session.scenarioId);
    const post = async (blocks: KnownBlock[], text: string) => {
      const res = await client.chat.postMessage({
        channel,
        // thread_ts, not ts: everything stays in the practice thread.
        thread_ts: threadTs,
        blocks,
        text: truncate(text, FALLBACK_TEXT_LIMIT),
        unfurl_links: false,
        unfurl_media: false,
      });
      return res.ts ?? null;
    };

    const p = item.payload;
    switch (p.kind) {
      case 'header': {
        // A scenario taken out of the catalog since: the session cannot go on, and there is nothing to show.
        if (!scenario || !session.userId) return null;
        const summary = summarize(scenario);
        return post(
          sessionStartBlocks({ t, userId: session.userId, scenario: summary }),
          sessionHeaderText(t, session.userId, summary),
        );
      }
      case 'opening':
        return post(
          openingBlocks({
            t,
            mode: session.mode,
            brief: scenario?.brief ?? null,
            buyer: scenario?.persona ?? null,
            summary: p.summary,
            text: p.text,
          }),
          escapeText(p.text),
        );
      case 'reply': {
        const name = scenario?.persona.name ?? null;
        const done = stopThinking(channel, threadTs, p.inReplyTo);
        const ts = await post(
          buyerReplyBlocks({ name, text: p.text }),
          escapeText(name ? `${name}: ${p.text}` : p.text),
        );
        await done();
        return ts;
      }
      case 'failure': {
        const done = stopThinking(channel, threadTs, p.inReplyTo);
        const ts = await post(
          failureBlocks({ t, code: p.code, sessionId: session.id }),
          escapeText(failureReason(t, p.code)),
        );
        await done();
        return ts;
      }
      case 'notice': {
        if (p.code === 'ignored_after_end') {
          return noteForRep(session, channel, threadTs, escapeText(t.ignoredAfterEnd));
        }
        const text = escapeText(t.nothingToJudge);
        const ts = await post(noticeBlocks(text), text);
        await markEnded(session, channel, threadTs, {
          outcome: session.state.outcome,
          verdict: null,
          feedbackTs: null,
        });
        return ts;
      }
      case 'feedback': {
        const turns = await store.turns(session.id);
        const links = await evidenceLinks(session, channel, turns, quotedTurns(p.feedback));
        const ts = await post(
          feedbackCard({
            t,
            feedback: p.feedback,
            outcome: p.outcome,
            scenarioId: session.scenarioId,
            buyerName: scenario?.persona.name ?? null,
            roles: turns.map((turn) => turn.role),
            links,
            sessionId: session.id,
          }),
          feedbackText(t, p.feedback),
        );
        await markEnded(session, channel, threadTs, {
          outcome: p.outcome,
          verdict: p.feedback.verdict,
          feedbackTs: ts,
        });
        return ts;
      }
    }
  };

  return async (session: Session, item: OutboxItem): Promise<string | null> => {
    try {
      return await deliverOne(session, item);
    } catch (err) {
      const permanent = permanentSlackError(err, item.attempts + 1);
      if (!permanent) throw err;
      await tellRep(session, permanent.about);
      throw new AppError(
        'delivery_rejected',
        `Slack refused the ${item.payload.kind} message: ${permanent.code}`,
        { cause: err },
      );
    }
  };
}
