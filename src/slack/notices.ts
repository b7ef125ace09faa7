import type { Language } from '../domain/language.js';
import type { ScenarioCatalog } from '../scenarios/catalog.js';
import { helpBlocks } from './blocks/help.js';
import type { KnownBlock } from './blocks/kit.js';
import { scenarioListBlocks, scenarioPickerBlocks, unknownScenarioBlocks } from './blocks/picker.js';
import { noticeBlocks } from './blocks/session.js';
import type { WebClient } from './deps.js';
import { escapeText } from './text.js';

/** A short note only `user` sees (in the thread, when given); `text` is mrkdwn. */
export const tellUser = (
  client: WebClient,
  to: { channel: string; user: string; threadTs?: string | null },
  text: string,
) =>
  client.chat.postEphemeral({
    channel: to.channel,
    user: to.user,
    ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
    text,
    blocks: noticeBlocks(text),
  });

/** The first word of `/spar …` or `@Sparring …`, lower-cased; mentions are skipped. */
export const sparArgument = (text: string): string =>
  (
    text
      .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
      .trim()
      .split(/\s+/)[0] ?? ''
  ).toLowerCase();

/**
 * What `/spar <arg>` and `@Sparring <arg>` answer without starting anything (picker, help, list, unknown id),
 * in English; null when `arg` is a scenario to start.
 */
export function sparAnswer(
  arg: string,
  deps: { catalog: Pick<ScenarioCatalog, 'get' | 'summaries'>; mode: 'llm' | 'offline' },
  /** The reader's language (Slack locale): the picker shows its scenarios first. */
  language: Language = 'en',
): { blocks: KnownBlock[]; text: string } | null {
  const scenarios = deps.catalog.summaries();
  if (arg === '') {
    return { blocks: scenarioPickerBlocks(scenarios, { language }), text: 'Pick a scenario to practise' };
  }
  if (arg === 'help') return { blocks: helpBlocks({ mode: deps.mode }), text: 'How Sparring works' };
  if (arg === 'list') return { blocks: scenarioListBlocks(scenarios), text: 'Scenarios' };
  if (deps.catalog.get(arg)) return null;
  return {
    blocks: unknownScenarioBlocks(arg, scenarios),
    text: escapeText(`There is no scenario "${arg.slice(0, 80)}"`),
  };
}
