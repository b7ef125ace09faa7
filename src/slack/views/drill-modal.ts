import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { ScenarioSummary } from '../../scenarios/catalog.js';
import { VIEW_IDS } from '../action-ids.js';
import { EN_WEEKDAYS } from '../blocks/drill.js';
import { LANGUAGE_LABELS } from '../blocks/picker.js';
import { truncate } from '../text.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text: truncate(text, 75), emoji: true });

/** Block ids of the drill modal's inputs; each input's action id is `value`. */
export const DRILL_FIELDS = {
  channel: 'channel',
  scenario: 'scenario',
  weekday: 'weekday',
  time: 'time',
  visibility: 'visibility',
} as const;

/** App Home's "Schedule a drill" (English, manager UI). Slack's option lists hold at most 100 entries. */
export function drillModalView(v: {
  scenarios: readonly ScenarioSummary[];
  timeZone: string | null;
}): types.ModalView {
  const scenarioOptions = v.scenarios.slice(0, 100).map((s) => ({
    text: plain(`${LANGUAGE_LABELS[s.language].flag} ${s.title}`),
    value: s.id,
  }));
  const weekdays = [1, 2, 3, 4, 5, 6, 0].map((d) => ({ text: plain(EN_WEEKDAYS[d]!), value: String(d) }));
  return {
    type: 'modal',
    callback_id: VIEW_IDS.drill,
    title: plain('Schedule a drill'),
    submit: plain('Schedule'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: DRILL_FIELDS.channel,
        label: plain('Team channel'),
        hint: plain('Sparring must be a member: /invite @Sparring there first.'),
        element: {
          type: 'conversations_select',
          action_id: 'value',
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      },
      {
        type: 'input',
        block_id: DRILL_FIELDS.scenario,
        label: plain('Scenario'),
        // Slack refuses a select without options; a placeholder option keeps the modal valid (and fails its check).
        element: {
          type: 'static_select',
          action_id: 'value',
          options:
            scenarioOptions.length > 0
              ? scenarioOptions
              : [{ text: plain('No scenarios loaded'), value: 'none' }],
        },
      },
      {
        type: 'input',
        block_id: DRILL_FIELDS.weekday,
        label: plain('Every'),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: weekdays,
          initial_option: weekdays[0],
        },
      },
      {
        type: 'input',
        block_id: DRILL_FIELDS.time,
        label: plain('At'),
        element: { type: 'timepicker', action_id: 'value', initial_time: '09:00' },
      },
      {
        type: 'input',
        block_id: DRILL_FIELDS.visibility,
        optional: true,
        label: plain('Attempts'),
        hint: plain('Unchecked: each rep practises privately, in a DM with Sparring.'),
        element: {
          type: 'checkboxes',
          action_id: 'value',
          options: [{ text: plain('Keep the attempts in the channel'), value: 'public' }],
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: v.timeZone
              ? `In your Slack time zone, ${v.timeZone}. The drill closes and its results are posted when the next one opens.`
              : 'In your Slack time zone. The drill closes and its results are posted when the next one opens.',
          },
        ],
      },
    ],
  };
}

const Input = z.object({
  selected_conversation: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_time: z.string().nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
});
const DrillValuesSchema = z.record(z.string(), z.record(z.string(), Input));

/** The drill modal's answers; missing ones as "". */
export function readDrillForm(values: unknown): {
  channelId: string;
  scenarioId: string;
  weekday: string;
  time: string;
  publicAttempts: boolean;
} {
  const v = DrillValuesSchema.parse(values ?? {});
  const get = (block: string) => v[block]?.value;
  return {
    channelId: get(DRILL_FIELDS.channel)?.selected_conversation ?? '',
    scenarioId: get(DRILL_FIELDS.scenario)?.selected_option?.value ?? '',
    weekday: get(DRILL_FIELDS.weekday)?.selected_option?.value ?? '',
    time: get(DRILL_FIELDS.time)?.selected_time ?? '',
    publicAttempts: (get(DRILL_FIELDS.visibility)?.selected_options ?? []).some((o) => o.value === 'public'),
  };
}
