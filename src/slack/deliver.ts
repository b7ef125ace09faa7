import { messages } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import type { Deliver } from '../practice/practice.js';
import type { InboxItem, OutboxItem, Session, StoredTurn } from '../practice/types.js';
import type { ScenarioCatalog } from '../scenarios/catalog.js';
import type { SessionStore } from '../store/sessions.js';
import { feedbackCard, feedbackText, quotedTurns } from './blocks/feedback.js';
import type { KnownBlock } from './blocks/kit.js';
import {
  buyerReplyBlocks,
  failureBlocks,
  failureReason,
  noticeBlocks,
  openingBlocks,
} from './blocks/session.js';
import { slackErrorCode, type WebClient } from './deps.js';
import { escapeText, FALLBACK_TEXT_LIMIT, truncate } from './text.js';

/** The reaction on the rep's message while the buyer is thinking. */
export const THINKING_REACTION = 'thought_balloon';

/** Shows that the buyer is working on the rep's message: a reaction, removed when the answer is posted. */
export function createTypingIndicator(deps: {
  client: WebClient;
  logger: Logger;
}): (session: Session, item: InboxItem) => Promise<void> {
  const log = deps.logger.child({ module: 'slack' });
  return async (session, item) => {
    if (item.kind !== 'message' || !session.channelId || !item.externalId) return;
    try {
      await deps.client.reactions.add({
        channel: session.channelId,
        timestamp: item.externalId,
        name: THINKING_REACTION,
      });
    } catch (err) {
      // A retry after a failure finds the reaction still there.
      if (slackErrorCode(err) !== 'already_reacted')
        log.debug({ err, sessionId: session.id }, 'reaction failed');
    }
  };
}

/** Posts each stored message into the session's thread and returns its ts (the outbox ref). */
export function createSlackDeliver(deps: {
  client: WebClient;
  catalog: ScenarioCatalog;
  store: SessionStore;
  logger: Logger;
}): Deliver {
  const { client, catalog, store } = deps;
  const log = deps.logger.child({ module: 'slack' });

  const clearThinking = async (channel: string, ts: string | null) => {
    if (!ts) return;
    await client.reactions.remove({ channel, timestamp: ts, name: THINKING_REACTION }).catch((err) => {
      if (slackErrorCode(err) !== 'no_reaction') log.debug({ err }, 'removing the reaction failed');
    });
  };

  /** Links each quoted turn to its message: rep turns by their own ts, buyer turns by the delivered refs. */
  const evidenceLinks = async (
    session: Session,
    channel: string,
    turns: readonly StoredTurn[],
    quoted: readonly number[],
  ) => {
    const tsByTurn = new Map<number, string>();
    for (const turn of turns) {
      if (turn.role === 'rep' && turn.externalId) tsByTurn.set(turn.idx, turn.externalId);
    }
    for (const sent of await store.deliveredRefs(session.id)) {
      if (!sent.ref) continue;
      if (sent.payload.kind === 'opening') tsByTurn.set(0, sent.ref);
      if (sent.payload.kind === 'reply') tsByTurn.set(sent.payload.turn, sent.ref);
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

  return async (session: Session, item: OutboxItem): Promise<string | null> => {
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
        const ts = await post(
          buyerReplyBlocks({ name, text: p.text }),
          escapeText(name ? `${name}: ${p.text}` : p.text),
        );
        await clearThinking(channel, p.inReplyTo);
        return ts;
      }
      case 'failure': {
        const ts = await post(
          failureBlocks({ t, code: p.code, sessionId: session.id }),
          escapeText(failureReason(t, p.code)),
        );
        await clearThinking(channel, p.inReplyTo);
        return ts;
      }
      case 'notice': {
        const text = escapeText(p.code === 'nothing_to_judge' ? t.nothingToJudge : t.ignoredAfterEnd);
        return post(noticeBlocks(text), text);
      }
      case 'feedback': {
        const turns = await store.turns(session.id);
        const links = await evidenceLinks(session, channel, turns, quotedTurns(p.feedback));
        return post(
          feedbackCard({
            t,
            feedback: p.feedback,
            outcome: p.outcome,
            scenarioId: session.scenarioId,
            buyerName: scenario?.persona.name ?? null,
            roles: turns.map((turn) => turn.role),
            links,
          }),
          feedbackText(t, p.feedback),
        );
      }
    }
  };
}
