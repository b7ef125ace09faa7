import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../../src/cli/scenarios.js';
import { parseScenario } from '../../src/scenarios/loader.js';
import { ACTION_IDS, VIEW_IDS } from '../../src/slack/action-ids.js';
import { MANAGERS_ONLY } from '../../src/slack/people.js';
import { uploadYaml } from '../drills/fixtures.js';
import { MANAGER, REP, startTeamHarness, type TeamHarness } from '../drills/team-harness.js';
import { buttonsOf, textOf } from '../helpers/fake-slack.js';

const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
const choice = (value: string) => ({ value: { type: 'static_select', selected_option: { value } } });

/** A complete authoring form, in Swedish; `over` replaces fields. */
const form = (over: Record<string, Record<string, unknown>> = {}) => ({
  title: text('Städfirman som tvekar'),
  language: choice('sv'),
  sale: choice('complex'),
  difficulty: choice('4'),
  persona_name: text('Lena Berg'),
  persona_role: text('driftchef'),
  persona_company: text('Bergs Städ'),
  persona_personality: text('Saklig och misstänksam mot säljare.'),
  persona_cares: text('pålitliga scheman\nlåga kostnader'),
  brief: text(''),
  situation: text('Lena planerar 40 städare i Excel varje vecka.'),
  buying_process: text(''),
  hidden_facts: text(
    'pain: Schemat tar hela måndagen och blir ändå fel.\nDecision group: VD:n och ekonomichefen beslutar tillsammans.\nbudget: Vi har 60 000 kronor kvar i år.',
  ),
  objections: text('Excel fungerar ju.\nVi bytte system för två år sedan och det blev kaos.'),
  disguised_nos: text(''),
  flat_no: text('Nej.'),
  earned_yes: text('Ett möte med VD och ekonomichef för en demo.'),
  earned_yes_line: text('Okej, boka ett möte med oss tre nästa vecka.'),
  opening: text(''),
  ...over,
});

describe('scenario authoring in Slack', () => {
  let h: TeamHarness;
  let seq = 0;

  beforeAll(async () => {
    h = await startTeamHarness();
    h.slack.users.set(MANAGER, { id: MANAGER, tz: 'Europe/Stockholm' });
    h.slack.users.set(REP, { id: REP, tz: 'Europe/Stockholm' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const dm = (user: string) =>
    h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${user}`);
  const upload = async (user: string, name: string, content: string) => {
    const id = `F${++seq}`;
    h.slack.files.set(id, { id, name, content });
    const before = dm(user).length;
    expect((await h.shareFile(user, { id, name })).status).toBe(200);
    return h.slack.waitFor(() => dm(user)[before], { what: `the answer to ${name}` });
  };

  it('shows the problems of an invalid form on the inputs they concern (response_action: errors)', async () => {
    const res = await h.submitView(
      VIEW_IDS.scenario,
      MANAGER,
      form({
        hidden_facts: text(
          'pain: Schemat tar hela måndagen.\nbudjet: 60 000 kronor\nbara en mening utan typ',
        ),
        persona_name: text('   '),
        objections: text('\n \n'),
      }),
    );
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.hidden_facts).toContain(
      'Line 2: "budjet" is not a kind; use one of pain, current_state',
    );
    expect(body.errors.hidden_facts).toContain('Line 3: write it as "kind: fact"');
    expect(Object.keys(body.errors)).toEqual(['hidden_facts']);

    // With the facts fixed, the schema's own checks come back on their inputs.
    const second = JSON.parse(
      (
        await h.submitView(
          VIEW_IDS.scenario,
          MANAGER,
          form({ persona_name: text('   '), objections: text('\n \n') }),
        )
      ).body,
    ) as { errors: Record<string, string> };
    expect(second.errors).toEqual({
      persona_name: 'persona.name must not be empty',
      objections: 'give at least 1 objection',
    });
  });

  it('refuses the form to someone who is not a manager', async () => {
    const body = JSON.parse((await h.submitView(VIEW_IDS.scenario, REP, form())).body) as {
      errors: Record<string, string>;
    };
    expect(body.errors).toEqual({ title: MANAGERS_ONLY });
  });

  it('saves a valid form: available at once, with defaults in its language and "Test this buyer"', async () => {
    const res = await h.submitView(VIEW_IDS.scenario, MANAGER, form());
    const body = JSON.parse(res.body) as { response_action: string; view: Record<string, unknown> };
    expect(body.response_action).toBe('update');
    expect(buttonsOf(body.view)).toEqual([
      { actionId: ACTION_IDS.testBuyer, value: 'sv-stadfirman-som-tvekar' },
    ]);
    const scenario = h.catalog.require('sv-stadfirman-som-tvekar');
    expect(scenario).toMatchObject({
      language: 'sv',
      sale: 'complex',
      difficulty: 4,
      brief: 'Du pratar med Lena Berg, driftchef på Bergs Städ.',
      earned_yes: { kind: 'next_step' },
      offline: { trust_start: 20 },
    });
    expect(scenario.hidden_facts.map((f) => [f.id, f.kind, f.essential, f.min_trust])).toEqual([
      ['pain', 'pain', true, 20],
      ['decision_group', 'decision_group', true, 35],
      ['budget', 'budget', false, 35],
    ]);
    expect(scenario.hidden_facts[0]!.keywords).toEqual(
      expect.arrayContaining(['schem', 'måndag', 'problem', 'svår']),
    );
    expect(scenario.offline.lines.wrap_up).toBe(
      'Jag måste gå nu. Skicka något på mejl så tittar jag på det.',
    );
    // The stored YAML is what `scenarios lint` would accept.
    const stored = await h.team.deps.scenarios.get('sv-stadfirman-som-tvekar');
    expect(parseScenario(stored!.yaml, 'x.yaml').problems).toEqual([]);
    // The same title again gets an id of its own.
    const again = JSON.parse((await h.submitView(VIEW_IDS.scenario, MANAGER, form())).body) as {
      view: Record<string, unknown>;
    };
    expect(buttonsOf(again.view)[0]?.value).toBe('sv-stadfirman-som-tvekar-2');

    // "Test this buyer" in the modal: a session for the manager in their direct messages.
    await h.clickInView(ACTION_IDS.testBuyer, MANAGER, 'sv-stadfirman-som-tvekar', 'modal');
    const header = await h.slack.waitFor(
      () => dm(MANAGER).find((c) => String(c.args.text).includes('Städfirman som tvekar')),
      { what: 'the test session' },
    );
    expect(header.args.text).toContain('<@UMGR> övar på *Städfirman som tvekar*');
    const opening = await h.slack.waitFor(() =>
      dm(MANAGER).find((c) => c.args.thread_ts === header.response.ts),
    );
    expect(textOf(opening.args)).toContain('Hej, Lena Berg här. Jag har bara några minuter.');
  });

  it('never replaces a buyer another manager saved a moment ago under the same title (not yet in this catalog)', async () => {
    // Another instance stored it; this instance's catalog has not reloaded yet.
    const theirs = await h.team.deps.scenarios.create({
      id: 'sv-samtidigt-sparad-kopare',
      yaml: uploadYaml('sv-samtidigt-sparad-kopare'),
      title: 'Samtidigt sparad köpare',
      language: 'sv',
      by: REP,
    });
    expect(theirs).not.toBeNull();
    expect(h.catalog.get('sv-samtidigt-sparad-kopare')).toBeUndefined();

    const res = await h.submitView(
      VIEW_IDS.scenario,
      MANAGER,
      form({ title: text('Samtidigt sparad köpare') }),
    );
    const id = buttonsOf((JSON.parse(res.body) as { view: Record<string, unknown> }).view)[0]?.value;
    expect(id).toBe('sv-samtidigt-sparad-kopare-2');
    // Theirs is untouched; ours is stored with its own id in its YAML.
    expect(await h.team.deps.scenarios.get('sv-samtidigt-sparad-kopare')).toMatchObject({
      revision: 1,
      yaml: theirs!.yaml,
    });
    const ours = await h.team.deps.scenarios.get(id!);
    expect(ours).toMatchObject({ revision: 1 });
    expect(parseScenario(ours!.yaml, 'x.yaml').scenario?.id).toBe(id);
    // And a create under a taken id stores nothing.
    expect(
      await h.team.deps.scenarios.create({ id: id!, yaml: 'x', title: 'x', language: 'sv', by: REP }),
    ).toBeNull();
  });

  it('answers a YAML upload with errors with exactly the lines of `scenarios lint`, and saves nothing', async () => {
    const broken = (await readFile('test/fixtures/scenarios/broken/bad-enum.yaml', 'utf8')).replace(
      'id: fx-bad-enum',
      'id: fx-upload-broken\nesential: true',
    );
    const reply = await upload(MANAGER, 'my-buyer.yaml', broken);
    const shown = textOf(reply.args);
    expect(shown).toContain('`my-buyer.yaml` has 3 problems; nothing was saved.');

    // The lint command on the same file, in a directory of its own.
    const dir = await mkdtemp(path.join(tmpdir(), 'sparring-lint-'));
    let lint = '';
    try {
      await writeFile(path.join(dir, 'my-buyer.yaml'), broken);
      const io = {
        stdin: Readable.from([]),
        stdout: (t: string) => {
          lint += t;
        },
        stderr: () => undefined,
        env: {},
        cwd: dir,
        isTty: false,
      };
      expect(await runScenarios(['lint', 'my-buyer.yaml'], io, { scenariosDir: dir })).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const lintLines = lint.split('\n').filter((l) => l.startsWith('my-buyer.yaml:'));
    expect(lintLines).toHaveLength(3);
    const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(shown).toContain(`\`\`\`${escaped(lintLines.join('\n'))}\`\`\``);
    expect(h.catalog.get('fx-upload-broken')).toBeUndefined();
  });

  it('stores a valid upload: available at once, "Test this buyer" starts a session; replaced with the same id', async () => {
    const reply = await upload(MANAGER, 'vaskeri.yml', uploadYaml('da-upload-vaskeri', 'Vaskeriet'));
    expect(textOf(reply.args)).toContain(
      '*Vaskeriet* (`da-upload-vaskeri`) is saved and available to everyone now.',
    );
    expect(buttonsOf(reply.args)).toEqual([{ actionId: ACTION_IDS.testBuyer, value: 'da-upload-vaskeri' }]);
    expect(h.slack.downloads.at(-1)).toMatchObject({ authorization: 'Bearer xoxb-test' });
    // In the picker straight away, for everyone.
    // (The picker comes through the response URL: it asks Slack for the user's locale first.)
    await h.send.command({
      text: '',
      userId: REP,
      channelId: 'CPICK',
      responseUrl: h.slack.responseUrl('upload-picker'),
    });
    const picker = await h.slack.waitFor(
      () => h.slack.callsTo('response_url').find((c) => c.args.url === '/respond/upload-picker'),
      { what: 'the picker' },
    );
    expect(buttonsOf(picker.args).map((b) => b.value)).toContain('da-upload-vaskeri');

    await h.send.action({
      actionId: ACTION_IDS.testBuyer,
      value: 'da-upload-vaskeri',
      userId: MANAGER,
      channelId: `D${MANAGER}`,
      messageTs: String(reply.response.ts),
      responseUrl: h.slack.responseUrl(),
    });
    const header = await h.slack.waitFor(
      () => dm(MANAGER).find((c) => String(c.args.text).includes('øver *Vaskeriet*')),
      { what: 'the test session' },
    );
    await h.slack.waitFor(() => dm(MANAGER).find((c) => c.args.thread_ts === header.response.ts));
    expect(await h.store.findByThread(`D${MANAGER}`, String(header.response.ts))).toMatchObject({
      scenarioId: 'da-upload-vaskeri',
      userId: MANAGER,
    });

    const replaced = await upload(MANAGER, 'vaskeri.yml', uploadYaml('da-upload-vaskeri', 'Vaskeriet, igen'));
    expect(textOf(replaced.args)).toContain('is replaced (revision 2)');
    expect(h.catalog.get('da-upload-vaskeri')?.title).toBe('Vaskeriet, igen');
  });

  it('refuses an upload that takes a scenario file’s id, uploads by non-managers, and files that are not YAML', async () => {
    const taken = await upload(MANAGER, 'vans.yaml', uploadYaml('en-fixture-vans'));
    expect(textOf(taken.args)).toContain('belongs to a scenario file in the repository');
    expect(h.catalog.get('en-fixture-vans')?.language).toBe('en');

    const infoCalls = h.slack.callsTo('files.info').length;
    const refused = await upload(REP, 'mine.yaml', uploadYaml('da-rep-upload'));
    expect(textOf(refused.args)).toContain(MANAGERS_ONLY);
    expect(h.slack.callsTo('files.info').length).toBe(infoCalls);
    expect(h.catalog.get('da-rep-upload')).toBeUndefined();

    const picture = await upload(MANAGER, 'team.png', 'not yaml');
    expect(textOf(picture.args)).toContain('`team.png` is not a scenario');
  });

  it('retires a Slack scenario: out of the pickers, refused by id, files cannot be retired', async () => {
    await upload(MANAGER, 'old.yaml', uploadYaml('da-upload-old', 'Gammel køber'));
    const respond = async (text: string, user = MANAGER) => {
      const id = `a${++seq}`;
      await h.send.command({
        text,
        userId: user,
        channelId: 'CRETIRE',
        responseUrl: h.slack.responseUrl(id),
      });
      const answer = await h.slack.waitFor(() =>
        h.slack.callsTo('response_url').find((c) => c.args.url === `/respond/${id}`),
      );
      return String(answer.args.text);
    };
    expect(await respond('scenario retire da-upload-old', REP)).toContain(MANAGERS_ONLY);
    expect(await respond('scenario retire da-upload-old')).toContain('is retired');
    expect(h.catalog.summaries().map((s) => s.id)).not.toContain('da-upload-old');
    expect(await respond('scenario retire en-fixture-vans')).toContain(
      'is a scenario file in the repository',
    );
    const start = await h.send.command({
      text: 'da-upload-old',
      userId: REP,
      channelId: 'CRETIRE',
      responseUrl: h.slack.responseUrl('retired-start'),
    });
    expect(start.body).toBe('');
    const answer = await h.slack.waitFor(() =>
      h.slack.callsTo('response_url').find((c) => c.args.url === '/respond/retired-start'),
    );
    expect(String(answer.args.text)).toContain('The scenario "da-upload-old" has been retired.');
  });
});
