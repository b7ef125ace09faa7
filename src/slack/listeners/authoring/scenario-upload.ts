import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { isAppError } from '../../../errors.js';
import { formatProblem, parseScenario } from '../../../scenarios/loader.js';
import { ACTION_IDS } from '../../action-ids.js';
import { actions, button, type KnownBlock, section } from '../../blocks/kit.js';
import { MANAGERS_ONLY } from '../../people.js';
import type { TeamDeps } from '../../team.js';
import { fetchSlackFile, saveScenario } from '../../team-scenarios.js';
import { escapeText, FALLBACK_TEXT_LIMIT, truncate } from '../../text.js';

/** A file shared in the app's direct messages. */
const FileShareSchema = z.object({
  subtype: z.literal('file_share'),
  channel_type: z.literal('im'),
  user: z.string().min(1),
  channel: z.string().min(1),
  files: z.array(z.object({ id: z.string().min(1), name: z.string().optional() })).min(1),
});

const YAML_FILE = /\.ya?ml$/i;
/** Lint lines shown per file; the rest are counted. */
const MAX_PROBLEMS = 25;
const MAX_FILES = 5;

/**
 * A manager sends a scenario as a .yaml file in a direct message with Sparring. It is checked by the same parser
 * and schema as `scenarios lint` and answered with the same `file:line: field: message` lines, or stored and
 * available at once, with "Test this buyer".
 */
export const onScenarioUpload =
  (deps: TeamDeps) =>
  async ({ message, client }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    const parsed = FileShareSchema.safeParse(message);
    if (!parsed.success) return;
    const m = parsed.data;
    const log = deps.logger.child({ module: 'slack' });
    const say = (text: string, blocks?: KnownBlock[]) =>
      client.chat.postMessage({
        channel: m.channel,
        text: truncate(text, FALLBACK_TEXT_LIMIT),
        blocks: blocks ?? [section(text)],
      });

    if (!(await deps.people.isManager(m.user))) {
      return void (await say(`${MANAGERS_ONLY} Send \`/spar\` to practise instead.`));
    }
    for (const file of m.files.slice(0, MAX_FILES)) {
      const shown = escapeText(file.name ?? file.id);
      if (file.name && !YAML_FILE.test(file.name)) {
        await say(
          `\`${shown}\` is not a scenario: send a \`.yaml\` file (see any file in \`scenarios/\` for the format).`,
        );
        continue;
      }
      try {
        const { name, text } = await fetchSlackFile(deps, client, file.id);
        const { scenario, problems } = parseScenario(text, name);
        if (!scenario) {
          const lines = problems.slice(0, MAX_PROBLEMS).map((p) => formatProblem(p));
          const more = problems.length > lines.length ? `\n…and ${problems.length - lines.length} more` : '';
          log.info({ file: name, problems: problems.length }, 'uploaded scenario refused');
          await say(
            `:x: \`${escapeText(name)}\` has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was saved.`,
            [
              section(
                `:x: \`${escapeText(name)}\` has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was saved. The same check as \`scenarios lint\`:`,
              ),
              section(`\`\`\`${escapeText(lines.join('\n'))}${more}\`\`\``),
            ],
          );
          continue;
        }
        const { stored, replaced } = await saveScenario(deps, { scenario, yaml: text, by: m.user });
        const what = replaced ? `replaced (revision ${stored.revision})` : 'saved';
        const text2 = `:white_check_mark: *${escapeText(scenario.title)}* (\`${scenario.id}\`) is ${what} and available to everyone now.`;
        await say(text2, [
          section(text2),
          actions(
            button({
              text: 'Test this buyer',
              actionId: ACTION_IDS.testBuyer,
              value: scenario.id,
              style: 'primary',
            }),
          ),
        ]);
      } catch (err) {
        if (!isAppError(err)) throw err;
        log.warn({ code: err.code, fileId: file.id }, 'uploaded scenario not saved');
        await say(`:x: \`${shown}\`: ${escapeText(err.message)}`);
      }
    }
  };
