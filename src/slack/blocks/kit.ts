import type { types } from '@slack/bolt';
import { SECTION_TEXT_LIMIT, splitText, truncate } from '../text.js';

export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;
export type Button = types.Button;

/** One or more mrkdwn sections for already-escaped text, each within Slack's 3000-character limit. */
export const sections = (mrkdwn: string): SectionBlock[] =>
  splitText(mrkdwn, SECTION_TEXT_LIMIT).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));

export const section = (mrkdwn: string, accessory?: Button): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(mrkdwn, SECTION_TEXT_LIMIT) },
  ...(accessory ? { accessory } : {}),
});

export const context = (...mrkdwn: string[]): KnownBlock => ({
  type: 'context',
  elements: mrkdwn.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: truncate(text, SECTION_TEXT_LIMIT) })),
});

export const header = (text: string): KnownBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, 150), emoji: true },
});

export const divider = (): KnownBlock => ({ type: 'divider' });

export const button = (opts: {
  text: string;
  actionId: string;
  value?: string;
  style?: 'primary' | 'danger';
}): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: truncate(opts.text, 75), emoji: true },
  action_id: opts.actionId,
  ...(opts.value === undefined ? {} : { value: opts.value }),
  ...(opts.style ? { style: opts.style } : {}),
});

export const actions = (...elements: Button[]): KnownBlock => ({ type: 'actions', elements });
