import { parseTime } from './schedule.js';

/** `/spar drill …`, parsed. */
export type DrillCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'results' }
  | { kind: 'stop'; drillId: string }
  | { kind: 'schedule'; scenarioId: string; weekday: number; time: string; publicAttempts: boolean }
  | { kind: 'invalid'; message: string };

export const DRILL_USAGE =
  '`/spar drill <scenario-id> every <weekday> <HH:MM>` schedules a weekly drill in this channel, each attempt in ' +
  'the rep’s direct messages with Sparring (add `public` to keep the attempts in the channel); ' +
  '`/spar drill list` shows the drills; `/spar drill results` posts the results of this channel’s open drill now; ' +
  '`/spar drill stop <id>` stops one.';

// Weekday names in the four languages Sparring speaks, and their short forms: managers type the day the way they
// say it. Index = cron weekday (0 = Sunday).
const WEEKDAY_NAMES: readonly (readonly string[])[] = [
  ['sunday', 'sun', 'söndag', 'sön', 'søndag', 'søn', 'zondag', 'zo'],
  ['monday', 'mon', 'måndag', 'mån', 'mandag', 'man', 'maandag', 'ma'],
  ['tuesday', 'tue', 'tues', 'tisdag', 'tis', 'tirsdag', 'tir', 'dinsdag', 'di'],
  ['wednesday', 'wed', 'onsdag', 'ons', 'woensdag', 'wo'],
  ['thursday', 'thu', 'thur', 'thurs', 'torsdag', 'tor', 'tors', 'donderdag', 'do'],
  ['friday', 'fri', 'fredag', 'fre', 'vrijdag', 'vr'],
  ['saturday', 'sat', 'lördag', 'lör', 'lørdag', 'lør', 'zaterdag', 'za'],
];

/** "Monday", "mondays", "mån", "maandag" → 1; null when it is not a weekday. */
export function parseWeekday(word: string): number | null {
  const w = word.trim().toLowerCase().replace(/[.,]$/, '');
  for (const [day, names] of WEEKDAY_NAMES.entries()) {
    if (names.includes(w) || names.includes(w.replace(/s$/, ''))) return day;
  }
  return null;
}

/** Parses what follows `/spar drill`. */
export function parseDrillCommand(rest: string): DrillCommand {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (!first || first === 'help') return { kind: 'help' };
  if (first === 'list' && words.length === 1) return { kind: 'list' };
  if (first === 'results' && words.length === 1) return { kind: 'results' };
  if (first === 'stop') {
    const id = words[1]?.toLowerCase();
    if (!id || words.length > 2)
      return { kind: 'invalid', message: 'Say which drill: `/spar drill stop <id>`.' };
    return { kind: 'stop', drillId: id };
  }

  // <scenario-id> every <weekday> [at] <HH:MM> [public]
  const publicAttempts = words.length > 4 && words.at(-1)?.toLowerCase() === 'public';
  const [scenarioId, every, day, ...tail] = publicAttempts ? words.slice(0, -1) : words;
  const time = tail[0]?.toLowerCase() === 'at' ? tail[1] : tail[0];
  const extra = tail.length - (tail[0]?.toLowerCase() === 'at' ? 2 : 1);
  if (!scenarioId || every?.toLowerCase() !== 'every' || !day || !time || extra > 0) {
    return { kind: 'invalid', message: `I did not understand that. ${DRILL_USAGE}` };
  }
  const weekday = parseWeekday(day);
  if (weekday === null) {
    return { kind: 'invalid', message: `"${day}" is not a weekday; write e.g. \`every monday 09:00\`.` };
  }
  const hhmm = parseTime(time);
  if (!hhmm) {
    return {
      kind: 'invalid',
      message: `"${time}" is not a time; use 24-hour HH:MM, e.g. \`09:00\` or \`16:30\`.`,
    };
  }
  return { kind: 'schedule', scenarioId: scenarioId.toLowerCase(), weekday, time: hhmm, publicAttempts };
}
