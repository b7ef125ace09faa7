import { LANGUAGES, type Language } from '../../domain/language.js';
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

/**
 * The picker's order: the reader's language first, then the others (en, sv, da, nl); within a language the
 * conversations from the easiest up, then its close drills together, from the easiest up.
 */
export function pickerOrder(scenarios: readonly ScenarioSummary[], language: Language): ScenarioSummary[] {
  const rank = (l: Language) => (l === language ? -1 : LANGUAGES.indexOf(l));
  const closeDrill = (s: ScenarioSummary) => (s.start === 'close' ? 1 : 0);
  return [...scenarios].sort(
    (a, b) =>
      rank(a.language) - rank(b.language) ||
      closeDrill(a) - closeDrill(b) ||
      a.difficulty - b.difficulty ||
      a.id.localeCompare(b.id),
  );
}

/**
 * `/spar` alone: every scenario with a Start button (ephemeral, English), grouped by language with the reader's
 * own first (see pickerOrder). One primary button, on the first: the easiest conversation in that language.
 */
export function scenarioPickerBlocks(
  scenarios: readonly ScenarioSummary[],
  opts: { language?: Language } = {},
): KnownBlock[] {
  if (scenarios.length === 0) return [section(NO_SCENARIOS)];
  const ordered = pickerOrder(scenarios, opts.language ?? 'en');
  const blocks: KnownBlock[] = [
    section('*Pick a buyer to practise on.* Each session runs in its own thread.'),
  ];
  // Slack's 50 blocks: the intro above, the help line and the "…and n more" line below.
  const room = MAX_BLOCKS - 2;
  let shown = 0;
  let group: string | null = null;
  for (const s of ordered) {
    const kind = `${s.language}:${s.start === 'close' ? 'close' : 'conversation'}`;
    const needed = kind === group ? 1 : 2;
    if (blocks.length + needed > room) break;
    if (kind !== group) {
      const lang = LANGUAGE_LABELS[s.language];
      blocks.push(context(`${lang.flag} *${lang.name}*${s.start === 'close' ? ' · 🎯 close drills' : ''}`));
      group = kind;
    }
    blocks.push(
      section(
        `*${escapeText(s.title)}*\n${scenarioFacts(s)}\n${escapeText(s.persona)} · \`${s.id}\``,
        button({
          text: 'Start',
          actionId: ACTION_IDS.start,
          value: s.id,
          ...(shown === 0 ? { style: 'primary' as const } : {}),
        }),
      ),
    );
    shown += 1;
  }
  if (shown < ordered.length) {
    blocks.push(
      context(
        `…and ${ordered.length - shown} more: \`/spar list\` shows them all, \`/spar &lt;id&gt;\` starts one.`,
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
