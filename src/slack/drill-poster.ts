import { z } from 'zod';
import type { DrillPoster } from '../drills/scheduler.js';
import type { DrillReport } from '../drills/summary.js';
import { AppError } from '../errors.js';
import { messages } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import { type ScenarioCatalog, summarize } from '../scenarios/catalog.js';
import type { Drill, DrillRun } from '../store/drills.js';
import {
  drillPostBlocks,
  drillPostText,
  drillSummaryBlocks,
  drillSummaryText,
  slackDate,
} from './blocks/drill.js';
import type { KnownBlock } from './blocks/kit.js';
import { noticeBlocks } from './blocks/session.js';
import { slackErrorCode, type WebClient } from './deps.js';
import { CANNOT_POST } from './errors.js';
import { FALLBACK_TEXT_LIMIT, truncate } from './text.js';

/** Message metadata that marks Sparring's drill posts, so a retry can find a post that did go out. */
export const DRILL_EVENTS = { post: 'sparring_drill_run', summary: 'sparring_drill_summary' } as const;

const HistorySchema = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z
          .object({
            event_type: z.string().optional(),
            event_payload: z.record(z.string(), z.unknown()).optional(),
          })
          .nullish(),
      }),
    )
    .default([]),
});

/** Posts drills and their results in the team channel, in the drill scenario's language. */
export function createSlackDrillPoster(deps: {
  client: WebClient;
  catalog: Pick<ScenarioCatalog, 'get' | 'require'>;
  logger: Logger;
}): DrillPoster {
  const { client, catalog } = deps;
  const log = deps.logger.child({ module: 'slack' });

  /**
   * Finds our own earlier post for this run since `since`. A failed lookup throws (transient): not knowing
   * whether it went out, we wait rather than risk posting twice.
   */
  const findPosted = async (channel: string, eventType: string, runId: string, since: Date) => {
    const res = HistorySchema.parse(
      await client.conversations.history({
        channel,
        oldest: String(Math.floor(since.getTime() / 1000) - 60),
        include_all_metadata: true,
        limit: 200,
      }),
    );
    const found = res.messages.find(
      (m) => m.metadata?.event_type === eventType && m.metadata.event_payload?.run_id === runId,
    );
    if (found) log.info({ runId, eventType, ts: found.ts }, 'found the earlier post; not posting again');
    return found?.ts ?? null;
  };

  const post = async (
    channel: string,
    blocks: KnownBlock[],
    text: string,
    eventType: string,
    runId: string,
  ) => {
    try {
      const res = await client.chat.postMessage({
        channel,
        blocks,
        text: truncate(text, FALLBACK_TEXT_LIMIT),
        metadata: { event_type: eventType, event_payload: { run_id: runId } },
        unfurl_links: false,
        unfurl_media: false,
      });
      return res.ts ?? null;
    } catch (err) {
      const code = slackErrorCode(err);
      if (code && CANNOT_POST.has(code)) {
        throw new AppError('forbidden', `Sparring cannot post in <#${channel}> (${code}).`, { cause: err });
      }
      throw err;
    }
  };

  return {
    async postDrill(drill: Drill, run: DrillRun, opts: { retry: boolean }) {
      const scenario = catalog.require(drill.scenarioId);
      if (opts.retry) {
        const ts = await findPosted(drill.channelId, DRILL_EVENTS.post, run.id, run.slot);
        if (ts) return ts;
      }
      const t = messages(scenario.language);
      return post(
        drill.channelId,
        drillPostBlocks({
          t,
          scenario: summarize(scenario),
          brief: scenario.brief,
          runId: run.id,
          closesAt: run.closesAt,
          publicAttempts: drill.publicAttempts,
        }),
        drillPostText(t, scenario.title),
        DRILL_EVENTS.post,
        run.id,
      );
    },

    async updatePost(drill, run, tally, opts) {
      // A scenario retired since the post: the post stays as it was.
      const scenario = catalog.get(drill.scenarioId);
      if (!scenario || !run.messageTs) return;
      const t = messages(scenario.language);
      await client.chat.update({
        channel: drill.channelId,
        ts: run.messageTs,
        blocks: drillPostBlocks({
          t,
          scenario: summarize(scenario),
          brief: scenario.brief,
          runId: run.id,
          closesAt: run.closesAt,
          publicAttempts: drill.publicAttempts,
          tally,
          closed: opts.closed,
        }),
        text: truncate(drillPostText(t, scenario.title), FALLBACK_TEXT_LIMIT),
      });
    },

    async postSummary(drill: Drill, run: DrillRun, report: DrillReport, opts: { retry: boolean }) {
      // A retired scenario still has a title and a language; the results are posted all the same.
      const scenario = catalog.get(drill.scenarioId);
      if (opts.retry) {
        const ts = await findPosted(drill.channelId, DRILL_EVENTS.summary, run.id, run.slot);
        if (ts) return ts;
      }
      const t = messages(scenario?.language ?? 'en');
      const title = scenario?.title ?? drill.scenarioId;
      return post(
        drill.channelId,
        drillSummaryBlocks({ t, title, report }),
        drillSummaryText(t, title),
        DRILL_EVENTS.summary,
        run.id,
      );
    },

    async reportFailure(drill: Drill, run: DrillRun, error: AppError) {
      const why =
        error.code === 'forbidden'
          ? `Sparring may not post in <#${drill.channelId}>. Invite it with \`/invite @Sparring\`; the drill tries again at its next time.`
          : `its scenario \`${drill.scenarioId}\` is no longer available (retired or removed). Stop it with \`/spar drill stop ${drill.id}\`, or add the scenario again.`;
      const text = `:warning: This week's drill \`${drill.id}\` (${slackDate(run.slot, '{date_short_pretty} {time}')}) could not be posted: ${why}`;
      // A user id as the channel opens the app's direct messages with them.
      await client.chat.postMessage({ channel: drill.createdBy, text, blocks: noticeBlocks(text) });
    },
  };
}
