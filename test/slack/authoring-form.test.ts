import { describe, expect, it } from 'vitest';
import { createOfflineBuyer } from '../../src/buyer/offline-buyer.js';
import { LANGUAGES, type Language } from '../../src/domain/language.js';
import {
  FORM_FIELDS,
  formToScenario,
  parseFactLines,
  readForm,
  type ScenarioForm,
  scenarioIdFor,
} from '../../src/slack/authoring/form.js';
import { scenarioModalView } from '../../src/slack/views/scenario-modal.js';

/** A pain the rep must find, per language, and a question that goes after it. */
const PAIN: Record<Language, { fact: string; question: string }> = {
  en: {
    fact: 'Our deliveries arrive late every Friday.',
    question: 'What goes wrong with deliveries today?',
  },
  sv: {
    fact: 'Leveranserna kommer sent varje fredag.',
    question: 'Vad är det svåraste med leveranserna i dag?',
  },
  da: {
    fact: 'Leverancerne kommer for sent hver fredag.',
    question: 'Hvad er det sværeste ved leverancerne i dag?',
  },
  nl: {
    fact: 'De leveringen komen elke vrijdag te laat.',
    question: 'Wat gaat er mis met de leveringen vandaag?',
  },
};

const formIn = (language: Language, over: Partial<ScenarioForm> = {}): ScenarioForm => ({
  ...(Object.fromEntries(FORM_FIELDS.map((f) => [f, ''])) as ScenarioForm),
  title: 'Late deliveries',
  language,
  sale: 'simple',
  difficulty: '1',
  persona_name: 'Sam',
  persona_role: 'owner',
  persona_company: 'Sam & Co',
  persona_personality: 'Busy.',
  persona_cares: 'on-time deliveries',
  situation: 'Deliveries are late.',
  hidden_facts: `pain: ${PAIN[language].fact}\nbudget: 500 a month at most.`,
  objections: 'Why change?',
  flat_no: 'No.',
  earned_yes: 'Orders the service.',
  earned_yes_line: 'Fine, go ahead.',
  ...over,
});

const opts = { isTaken: () => false, author: 'UMGR', at: new Date('2025-03-20T10:00:00Z') };

describe('the authoring form', () => {
  it('reads text inputs and selects from view.state.values', () => {
    const form = readForm({
      title: { value: { type: 'plain_text_input', value: '  A title ' } },
      language: { value: { type: 'static_select', selected_option: { value: 'nl' } } },
      opening: { value: { type: 'plain_text_input', value: null } },
    });
    expect(form).toMatchObject({ title: 'A title', language: 'nl', opening: '', situation: '' });
    // Every form field has an input in the modal.
    const blockIds = scenarioModalView().blocks.map((b) => b.block_id);
    for (const field of FORM_FIELDS) expect(blockIds).toContain(field);
  });

  it('reads hidden facts as "kind: fact" lines, kinds written loosely', () => {
    expect(parseFactLines('- Pain: it hurts\n\nCurrent state: Excel\nstatus-quo: nothing changes')).toEqual({
      facts: [
        { kind: 'pain', fact: 'it hurts' },
        { kind: 'current_state', fact: 'Excel' },
        { kind: 'status_quo', fact: 'nothing changes' },
      ],
      errors: [],
    });
    expect(parseFactLines('').errors).toEqual(['Give at least one hidden fact, as "kind: fact".']);
    expect(parseFactLines('money: lots').errors[0]).toContain('Line 1: "money" is not a kind');
  });

  it('makes ids like the shipped files, unique', () => {
    const taken = new Set(['sv-nyarsnatt-prischock', 'da-laerling']);
    expect(scenarioIdFor('sv', 'Nyårsnatt & prischock!', (id) => taken.has(id))).toBe(
      'sv-nyarsnatt-prischock-2',
    );
    expect(scenarioIdFor('da', 'Lærling', (id) => taken.has(id))).toBe('da-laerling-2');
    expect(scenarioIdFor('nl', 'Één café', () => false)).toBe('nl-een-cafe');
    expect(scenarioIdFor('en', '!!!', () => false)).toBe('en-scenario');
    expect(scenarioIdFor('en', 'x'.repeat(100), () => false).length).toBeLessThanOrEqual(58);
  });

  it.each(LANGUAGES)(
    'fills a %s scenario from the language’s defaults, and the scripted buyer can play it',
    async (language) => {
      const result = formToScenario(formIn(language), opts);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const s = result.scenario;
      expect(s.id).toBe(`${language}-late-deliveries`);
      expect(s.earned_yes.kind).toBe('order');
      expect(s.disguised_nos.length).toBeGreaterThanOrEqual(2);
      expect(s.hidden_facts.map((f) => [f.id, f.essential])).toEqual([
        ['pain', true],
        ['budget', false],
      ]);
      expect(result.yaml).toMatch(/^# Written in Slack by UMGR on 2025-03-20\.\n/);

      // The derived keywords and reveal line work with the offline buyer: asking about the pain reveals it.
      const buyer = createOfflineBuyer({ random: () => 0 });
      const opening = buyer.open(s);
      const reply = await buyer.reply({
        scenario: s,
        history: [{ role: 'buyer', text: opening.text, raw: null }],
        state: opening.state,
        repText: PAIN[language].question,
      });
      expect(reply.text).toBe(PAIN[language].fact);
    },
  );

  it('puts schema problems on the inputs they concern, lines numbered from one', () => {
    const result = formToScenario(
      formIn('en', { objections: 'fine\n', persona_cares: '', earned_yes_line: ' ', sale: 'huge' }),
      opts,
    );
    expect(result).toEqual({ ok: false, errors: { sale: 'Choose simple or complex.' } });
    const second = formToScenario(formIn('en', { persona_cares: '', earned_yes_line: ' ' }), opts);
    expect(second).toEqual({
      ok: false,
      errors: {
        persona_cares: 'give at least 1 thing the buyer cares about',
        earned_yes_line: 'earned_yes.line must not be empty',
      },
    });
  });
});
