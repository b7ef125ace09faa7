import type { AppError } from '../errors.js';
import type { Messages } from '../i18n/messages.js';
import { MAX_REP_TEXT } from '../practice/practice.js';
import { escapeText, mrkdwn } from './text.js';

/** Slack errors that mean "Sparring may not post here". */
export const CANNOT_POST = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);

/** Said before a session exists, so in English like the picker. */
export const CANNOT_POST_HERE =
  'I can’t post in this conversation. Invite me with `/invite @Sparring` and try again, or send me `/spar` in a direct message.';

/**
 * What the rep reads for an AppError (mrkdwn), in the session's language. `text` is the message that was
 * refused, for the length in "too long".
 */
export function userMessage(err: AppError, t: Messages, opts: { text?: string } = {}): string {
  switch (err.code) {
    case 'text_empty':
      return mrkdwn(t.textEmpty);
    case 'text_too_long':
      return mrkdwn(t.textTooLong, {
        length: opts.text?.trim().length ?? MAX_REP_TEXT + 1,
        max: MAX_REP_TEXT,
      });
    case 'session_ended':
      return mrkdwn(t.sessionEnded);
    case 'session_not_found':
      return mrkdwn(t.sessionNotFound);
    // Written for people (the known ids, how to invite the bot); an unknown id is the user's own input.
    case 'scenario_not_found':
    case 'forbidden':
      return escapeText(err.message);
    default:
      return mrkdwn(t.genericError);
  }
}
