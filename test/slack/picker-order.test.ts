import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/domain/language.js';
import { createCatalog, type ScenarioSummary } from '../../src/scenarios/catalog.js';
import { loadScenarioFiles } from '../../src/scenarios/loader.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { pickerOrder, scenarioPickerBlocks } from '../../src/slack/blocks/picker.js';
import { buttonsOf } from '../helpers/fake-slack.js';
import { type Harness, startHarness } from './harness.js';

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

const primaries = (blocks: unknown) => JSON.stringify(blocks).match(/"style":"primary"/g)?.length ?? 0;

describe('the picker’s order (shipped scenarios)', () => {
  let shipped: ScenarioSummary[];
  beforeAll(async () => {
    const { scenarios } = await loadScenarioFiles([SCENARIOS_DIR]);
    shipped = createCatalog(scenarios).summaries();
    expect(shipped.length).toBeGreaterThanOrEqual(8);
  });

  it.each(LANGUAGES)(
    '%s first, conversations by difficulty, then its close drills, then the others',
    (lang) => {
      const ordered = pickerOrder(shipped, lang);
      const own = ordered.filter((s) => s.language === lang);
      expect(ordered.slice(0, own.length)).toEqual(own);
      // Within the language: every conversation before any close drill, each part from the easiest up.
      const kinds = own.map((s) => (s.start === 'close' ? 'close' : 'conversation'));
      expect(kinds).toEqual([...kinds].sort((a, b) => (a === b ? 0 : a === 'conversation' ? -1 : 1)));
      for (const kind of ['conversation', 'close'] as const) {
        const part = own.filter((s) => (s.start === 'close' ? 'close' : 'conversation') === kind);
        const difficulties = part.map((s) => s.difficulty);
        expect(difficulties).toEqual([...difficulties].sort((a, b) => a - b));
      }
      // The others follow in the fixed order, one language after another.
      const rest = [...new Set(ordered.slice(own.length).map((s) => s.language))];
      expect(rest).toEqual(LANGUAGES.filter((l) => l !== lang && rest.includes(l)));
    },
  );

  it('shows one primary button at most, on the first scenario', () => {
    for (const lang of LANGUAGES) {
      const blocks = scenarioPickerBlocks(shipped, { language: lang });
      expect(primaries(blocks)).toBe(1);
      const first = buttonsOf({ blocks })[0];
      expect(first?.value).toBe(pickerOrder(shipped, lang)[0]!.id);
      expect(first?.value?.startsWith(`${lang}-`)).toBe(true);
    }
  });

  it('is not Danish first for an English reader (the catalog order was)', () => {
    const first = buttonsOf({ blocks: scenarioPickerBlocks(shipped) })[0]!;
    expect(first.value).toMatch(/^en-/);
  });

  it('groups each language under one line, and its close drills under another', () => {
    const blocks = scenarioPickerBlocks(shipped, { language: 'sv' });
    const lines = blocks
      .filter((b) => b.type === 'context')
      .map((b) => JSON.stringify(b))
      .filter((t) => /🇬🇧|🇸🇪|🇩🇰|🇳🇱/.test(t));
    const groups = new Set<string>();
    for (const s of pickerOrder(shipped, 'sv')) groups.add(`${s.language}:${s.start === 'close'}`);
    expect(lines).toHaveLength(groups.size);
    expect(lines[0]).toContain('🇸🇪 *Swedish*');
  });
});

describe('the picker in Slack follows the user’s locale', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const picker = async (userId: string, id: string) => {
    await h.send.command({ text: '', userId, channelId: 'CPICK', responseUrl: h.slack.responseUrl(id) });
    const answer = await h.slack.waitFor(() =>
      h.slack.callsTo('response_url').find((c) => c.args.url === `/respond/${id}`),
    );
    return buttonsOf(answer.args).map((b) => b.value);
  };

  it.each([
    ['sv-SE', ['sv-fixture-avslut', 'en-fixture-vans']],
    ['en-GB', ['en-fixture-vans', 'sv-fixture-avslut']],
    ['fr-FR', ['en-fixture-vans', 'sv-fixture-avslut']],
  ] as Array<[string, string[]]>)('%s', async (locale, order) => {
    const user = `U${locale.replace('-', '')}`;
    h.slack.locales.set(user, locale);
    expect(await picker(user, `p-${locale}`)).toEqual(order);
    expect(h.slack.callsTo('users.info').find((c) => c.args.user === user)?.args.include_locale).toBeTruthy();
  });

  it('a user Slack says nothing about gets the English order', async () => {
    expect(await picker('UNOLOCALE', 'p-none')).toEqual(['en-fixture-vans', 'sv-fixture-avslut']);
  });

  it('the DM picker too', async () => {
    h.slack.locales.set('USVDM', 'sv-SE');
    await h.send.message({ user: 'USVDM', channel: 'DSVDM', text: 'hej', ts: '1800000300.000001' });
    const posted = await h.slack.waitFor(() =>
      h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'DSVDM'),
    );
    expect(buttonsOf(posted.args).map((b) => b.value)).toEqual(['sv-fixture-avslut', 'en-fixture-vans']);
    expect(buttonsOf(posted.args).every((b) => b.actionId === ACTION_IDS.start)).toBe(true);
  });
});
