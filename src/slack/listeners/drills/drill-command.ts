import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { DRILL_USAGE, parseDrillCommand } from '../../../drills/command.js';
import { drillListBlocks, EN_WEEKDAYS, slackDate } from '../../blocks/drill.js';
import { managersOnly } from '../../people.js';
import type { TeamDeps } from '../../team.js';
import { drillLines, scheduleDrill, stopDrill } from '../../team-drills.js';
import { escapeText } from '../../text.js';
import { replyTo, type TeamCommand } from './team-command.js';

/** `/spar drill …`: schedule, list, results, stop. Everyone may list; the rest is for managers. */
export async function onDrillCommand(
  deps: TeamDeps,
  { respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  cmd: TeamCommand,
): Promise<void> {
  const reply = replyTo(respond);
  const parsed = parseDrillCommand(cmd.rest);
  switch (parsed.kind) {
    case 'help':
      return void (await reply(`*Weekly team drills.* ${escapeText(DRILL_USAGE)}`));
    case 'invalid':
      return void (await reply(escapeText(parsed.message)));
    case 'list': {
      const lines = await drillLines(deps);
      // Managers get a Stop button on each (behind a confirm dialog).
      const stop = lines.length > 0 && (await deps.people.isManager(cmd.user_id));
      return void (await reply(`${lines.length} weekly drills`, drillListBlocks(lines, { stop })));
    }
    default:
      break;
  }
  if (!(await deps.people.isManager(cmd.user_id)))
    return void (await reply(await managersOnly(deps.people, cmd.user_id)));

  switch (parsed.kind) {
    case 'schedule': {
      const { drill, first } = await scheduleDrill(deps, client, {
        userId: cmd.user_id,
        teamId: cmd.team_id ?? null,
        channelId: cmd.channel_id,
        scenarioId: parsed.scenarioId,
        weekday: parsed.weekday,
        time: parsed.time,
        publicAttempts: parsed.publicAttempts,
      });
      return void (await reply(
        `:white_check_mark: Drill \`${drill.id}\` scheduled: \`${drill.scenarioId}\` every ${EN_WEEKDAYS[drill.weekday]} ` +
          `at ${drill.time} (${escapeText(drill.timeZone)}). The first one opens ${slackDate(first)}. ` +
          (drill.publicAttempts
            ? 'Attempts run in threads of this channel. '
            : 'Each attempt runs in the rep’s direct messages with Sparring; this channel keeps one post per week with the tally. ') +
          `\`/spar drill stop ${drill.id}\` stops it.`,
      ));
    }
    case 'results': {
      const open = await deps.scheduler.openInChannel(cmd.channel_id);
      if (open.length === 0) return void (await reply('There is no open drill in this channel.'));
      let closed = 0;
      for (const { run } of open) if (await deps.scheduler.close(run.id, 'results')) closed += 1;
      return void (await reply(
        closed > 0
          ? `:white_check_mark: Posted the results of ${closed === 1 ? 'the drill' : `${closed} drills`}; the next one opens as scheduled.`
          : 'The results are being posted already.',
      ));
    }
    case 'stop': {
      const result = await stopDrill(deps, client, parsed.drillId, cmd.user_id);
      if (!result)
        return void (await reply(
          `There is no drill \`${escapeText(parsed.drillId)}\`. \`/spar drill list\` shows them.`,
        ));
      if (!result.stopped) return void (await reply(`Drill \`${result.drill.id}\` was already stopped.`));
      return void (await reply(
        `:white_check_mark: Drill \`${result.drill.id}\` stopped. The results of its open week, if any, are posted in the channel.`,
      ));
    }
  }
}
