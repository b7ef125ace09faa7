import type { Language } from '../../domain/language.js';
import type { ScenarioSummary } from '../../scenarios/catalog.js';
import { nearestIds } from '../../scenarios/nearest.js';
import { ACTION_IDS } from '../action-ids.js';
import { escapeText, MAX_BLOCKS, packLines } from '../text.js';
import { button, context, type KnownBlock, section } from './kit.js';

/** How the picker and the help (always English) name a scenario's language. */
export const LANGUAGE_LABELS: Record<Language, { flag: string; name: string }> = {
  en: { flag: '🇬🇧', name: 'English' },
  sv: { flag: '🇸🇪', name: 'Swedish' },
  da: { flag: '🇩🇰', name: 'Danish' },
  nl: { flag: '🇳🇱', name: 'Dutch' },
};

/** "🇩🇰 Danish · complex sale · difficulty 5/5 · 🎯 close drill" */
export function scenarioFacts(s: ScenarioSummary): string {
  const lang = LANGUAGE_LABELS[s.language];
  return [
    `${lang.flag} ${lang.name}`,
    `${s.sale} sale`,
    `difficulty ${s.difficulty}/5`,
    ...(s.start === 'close' ? ['🎯 close drill'] : []),
  ].join(' · ');
}

const NO_SCENARIOS =
  'No scenarios are loaded. Add scenario files to the `scenarios/` folder and restart Sparring ' +
  '(`npm run -s sparring -- scenarios lint` checks them).';

/** `/spar` alone: every scenario with a Start button (ephemeral, English). */
export function scenarioPickerBlocks(scenarios: readonly ScenarioSummary[]): KnownBlock[] {
  if (scenarios.length === 0) return [section(NO_SCENARIOS)];
  // Two blocks frame the list; the rest of Slack's 50 are scenarios.
  const room = MAX_BLOCKS - 2;
  const shown = scenarios.length > room ? scenarios.slice(0, room - 1) : scenarios;
  const blocks: KnownBlock[] = [
    section('*Pick a buyer to practise on.* Each session runs in its own thread.'),
  ];
  for (const s of shown) {
    blocks.push(
      section(
        `*${escapeText(s.title)}*\n${scenarioFacts(s)}\n${escapeText(s.persona)} · \`${s.id}\``,
        button({ text: 'Start', actionId: ACTION_IDS.start, value: s.id, style: 'primary' }),
      ),
    );
  }
  if (shown.length < scenarios.length) {
    blocks.push(
      context(
        `…and ${scenarios.length - shown.length} more: \`/spar list\` shows them all, \`/spar &lt;id&gt;\` starts one.`,
      ),
    );
  }
  blocks.push(context('`/spar help` explains how a session works.'));
  return blocks;
}

const listLines = (scenarios: readonly ScenarioSummary[]) =>
  scenarios.map((s) => `• \`${s.id}\` ${escapeText(s.title)} (${scenarioFacts(s)})`);

/** `/spar list`: every scenario id with its title and facts (ephemeral, English). */
export function scenarioListBlocks(scenarios: readonly ScenarioSummary[]): KnownBlock[] {
  if (scenarios.length === 0) return [section(NO_SCENARIOS)];
  return [
    section(
      `*${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}.* Start one with \`/spar &lt;id&gt;\`.`,
    ),
    ...packLines(listLines(scenarios)).map((text) => section(text)),
  ];
}

/**
 * `/spar <id>` with an id nobody knows (ephemeral, English): the nearest ids with Start buttons ("did you
 * mean"), or every id there is when none is close.
 */
export function unknownScenarioBlocks(id: string, scenarios: readonly ScenarioSummary[]): KnownBlock[] {
  const asked = escapeText(id.slice(0, 80));
  if (scenarios.length === 0) return [section(`There is no scenario \`${asked}\`. ${NO_SCENARIOS}`)];
  const near = nearestIds(
    id,
    scenarios.map((s) => s.id),
  ).flatMap((nearId) => scenarios.filter((s) => s.id === nearId));
  if (near.length > 0) {
    const names = near.map((s) => `\`${s.id}\``);
    const guess = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
    return [
      section(`There is no scenario \`${asked}\`. Did you mean ${guess}?`),
      ...near.map((s, i) =>
        section(
          `*${escapeText(s.title)}*\n${scenarioFacts(s)} · \`${s.id}\``,
          // One primary button at most: the best guess.
          button({
            text: 'Start',
            actionId: ACTION_IDS.start,
            value: s.id,
            ...(i === 0 ? { style: 'primary' as const } : {}),
          }),
        ),
      ),
      context('`/spar` alone shows every scenario with a Start button, `/spar list` lists the ids.'),
    ];
  }
  return [
    section(`There is no scenario \`${asked}\`. These are the ones I know:`),
    ...packLines(listLines(scenarios)).map((text) => section(text)),
    context('`/spar` alone shows them with Start buttons.'),
  ];
}
