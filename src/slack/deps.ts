import type { App } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Practice } from '../practice/practice.js';
import type { ScenarioCatalog } from '../scenarios/catalog.js';
import type { SessionStore } from '../store/sessions.js';

/** What every listener gets: the use cases and the read-only things around them. */
export type SlackDeps = {
  practice: Practice;
  store: SessionStore;
  catalog: ScenarioCatalog;
  config: Config;
  logger: Logger;
  mode: 'llm' | 'offline';
  /** How long a claimed Slack event may go unstored before a redelivery takes it over; the session lease. */
  eventTakeOverMs?: number;
};

/** Bolt's Web API client (app.client, or the one Bolt hands a listener). */
export type WebClient = App['client'];

/** The Slack error code of a failed Web API call ("not_in_channel", "already_reacted"), if it is one. */
export function slackErrorCode(err: unknown): string | null {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : null;
}
