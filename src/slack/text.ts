import { fill } from '../i18n/messages.js';

/** Slack's mrkdwn limits that every builder respects. */
export const SECTION_TEXT_LIMIT = 3000;
export const MAX_BLOCKS = 50;
/** The plain-text fallback that notifications show. */
export const FALLBACK_TEXT_LIMIT = 3000;

/** Escapes the three characters Slack treats as markup in text we did not write (rep and buyer lines). */
export const escapeText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One of our own message templates as mrkdwn: the template is escaped, the values are inserted as given, so
 * text from people must be escaped by the caller and markup such as `<@U123>` can be passed on purpose.
 */
export const mrkdwn = (template: string, vars: Record<string, string | number> = {}): string =>
  fill(escapeText(template), vars);

/**
 * A Slack message's text as the rep meant it: entity-decoded, links and mentions as their visible labels, so
 * the buyer reads prose and evidence quotes are verbatim substrings of what is stored.
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/<[@#!]([^|>]+)\|([^>]+)>/g, (_all, _id: string, label: string) => label)
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<#([A-Z0-9]+)>/g, '#$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Shortens text to `max` characters with an ellipsis, never cutting inside an `&amp;`-style entity. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const amp = text.lastIndexOf('&', cut);
  if (amp >= 0 && amp > cut - 6 && !text.slice(amp, cut).includes(';')) cut = amp;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/**
 * Splits already-escaped mrkdwn into pieces of at most `limit` characters, at a line break or a space where
 * possible and never inside an entity.
 */
export function splitText(text: string, limit = SECTION_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) cut = limit;
    const amp = window.lastIndexOf('&', cut - 1);
    if (amp >= 0 && amp > cut - 6 && !window.slice(amp, cut).includes(';')) cut = amp;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** Packs lines into as few pieces of at most `limit` characters as possible; an overlong line is split. */
export function packLines(lines: readonly string[], limit = SECTION_TEXT_LIMIT): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const line of lines.flatMap((l) => splitText(l, limit))) {
    if (current === '') current = line;
    else if (current.length + 1 + line.length <= limit) current = `${current}\n${line}`;
    else {
      pieces.push(current);
      current = line;
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

/** A mrkdwn blockquote: every line prefixed, so multi-line quotes stay quoted. */
export const blockquote = (escaped: string): string =>
  escaped
    .split('\n')
    .map((l) => `>${l}`)
    .join('\n');
