import type { types } from '@slack/bolt';
import { LANGUAGES } from '../../domain/language.js';
import { FactKindSchema } from '../../scenarios/schema.js';
import { ACTION_IDS, VIEW_IDS } from '../action-ids.js';
import type { FormField } from '../authoring/form.js';
import { LANGUAGE_LABELS } from '../blocks/picker.js';
import { escapeText } from '../text.js';

type Option = { text: { type: 'plain_text'; text: string }; value: string };
const option = (text: string, value: string): Option => ({ text: { type: 'plain_text', text }, value });
const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

const text = (
  field: FormField,
  label: string,
  o: { multiline?: boolean; optional?: boolean; hint?: string; placeholder?: string; max?: number } = {},
): types.InputBlock => ({
  type: 'input',
  block_id: field,
  label: plain(label),
  optional: o.optional ?? false,
  ...(o.hint ? { hint: plain(o.hint) } : {}),
  element: {
    type: 'plain_text_input',
    action_id: 'value',
    multiline: o.multiline ?? false,
    max_length: o.max ?? (o.multiline ? 3000 : 300),
    ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
  },
});

const select = (field: FormField, label: string, options: Option[], initial: Option): types.InputBlock => ({
  type: 'input',
  block_id: field,
  label: plain(label),
  element: { type: 'static_select', action_id: 'value', options, initial_option: initial },
});

const languages = LANGUAGES.map((l) => option(`${LANGUAGE_LABELS[l].flag} ${LANGUAGE_LABELS[l].name}`, l));
const sales = [
  option('Simple: one decision, ask for the order', 'simple'),
  option('Complex: several people, close on a next step', 'complex'),
];
const levels = [1, 2, 3, 4, 5].map((n) =>
  option(`${n}${n === 1 ? ' (friendly)' : n === 5 ? ' (seasoned buyer)' : ''}`, String(n)),
);

/** The form a manager fills in to write a buyer in Slack (English, like the rest of the manager UI). */
export function scenarioModalView(): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW_IDS.scenario,
    title: plain('New buyer'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            'Write everything the buyer says *in the scenario’s language*. The buyer is hard to win and fair: it ' +
            'warms up when the rep uncovers its situation and cools down on pitches and pressure. Fields left ' +
            'empty get sensible defaults in that language.',
        },
      },
      text('title', 'Title', { placeholder: 'The florist whose card reader drops out at weddings' }),
      select('language', 'Language', languages, languages[0]!),
      select('sale', 'Sale', sales, sales[0]!),
      select('difficulty', 'Difficulty', levels, levels[2]!),
      { type: 'header', text: plain('The buyer') },
      text('persona_name', 'Name', { placeholder: 'Dawn Price' }),
      text('persona_role', 'Role', { placeholder: 'owner' }),
      text('persona_company', 'Company', { placeholder: 'Petals & Stems' }),
      text('persona_personality', 'Personality', {
        multiline: true,
        hint: 'How they talk and what wins or loses them.',
      }),
      text('persona_cares', 'What they care about', { multiline: true, hint: 'One thing per line.' }),
      text('brief', 'Brief for the rep', {
        multiline: true,
        optional: true,
        hint: 'What the rep is told before starting. Default: who they are talking to.',
      }),
      text('situation', 'Situation (hidden from the rep)', { multiline: true }),
      text('buying_process', 'Where they are in their buying process', {
        multiline: true,
        optional: true,
        hint: 'Have they tried a workaround? Who else decides? Is doing nothing an option?',
      }),
      text('hidden_facts', 'Hidden facts', {
        multiline: true,
        hint:
          `One per line as "kind: fact", in the buyer's words; the buyer says it when the rep earns it. Kinds: ` +
          `${FactKindSchema.options.join(', ')}.`,
        placeholder: 'pain: At the Saturday market the reader drops out and customers walk off.',
      }),
      text('objections', 'Objections', { multiline: true, hint: 'One per line.' }),
      text('disguised_nos', 'Disguised noes', {
        multiline: true,
        optional: true,
        hint: 'One per line: the polite refusals for a close that was not earned ("we need to think about it").',
      }),
      text('flat_no', 'Flat no', { placeholder: 'No, thanks.' }),
      text('earned_yes', 'Earned yes: what the buyer agrees to', {
        multiline: true,
        hint: 'The order in a simple sale, a named next step (demo, trial, meeting) in a complex one.',
      }),
      text('earned_yes_line', 'Earned yes: what the buyer says', {
        placeholder: 'Go on then. Where do I sign?',
      }),
      text('opening', 'Opening line', {
        optional: true,
        hint: 'The buyer’s first words. Default: a short, busy hello.',
      }),
    ],
  };
}

/** What the modal turns into once the scenario is saved: where it is, and a way to try it at once. */
export function scenarioSavedView(v: { id: string; title: string; replaced: boolean }): types.ModalView {
  return {
    type: 'modal',
    callback_id: `${VIEW_IDS.scenario}_saved`,
    title: plain('Buyer saved'),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            `:white_check_mark: *${escapeText(v.title)}* (\`${v.id}\`) is ${v.replaced ? 'replaced' : 'saved'} and ` +
            'available to everyone now: in `/spar`, on App Home and for team drills.',
        },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: plain('Test this buyer'),
            action_id: ACTION_IDS.testBuyer,
            value: v.id,
            style: 'primary',
          },
        ],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'The test runs in your direct messages with Sparring. To change the buyer later, send me its YAML with the same id.',
          },
        ],
      },
    ],
  };
}
