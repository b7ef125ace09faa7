import { Cron } from 'croner';

/** When a weekly drill opens: a weekday (0 = Sunday) and a wall-clock time in an IANA time zone. */
export type WeeklySlot = { weekday: number; time: string; timeZone: string };

const DAY_MS = 86_400_000;

/** True for a time zone the runtime knows ("Europe/Stockholm", "UTC"); Slack's users.info `tz` is one. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "9:05", "09.05" or "09:05" → "09:05"; null for anything that is not a 24-hour time. */
export function parseTime(text: string): string | null {
  const m = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(text.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null;
}

// croner does the calendar work in the time zone: DST gaps (the next valid minute) and repeated hours (once).
const cronOf = (s: WeeklySlot): Cron => {
  const [hh, mm] = s.time.split(':').map(Number);
  return new Cron(`${mm} ${hh} * * ${s.weekday}`, { timezone: s.timeZone });
};

/** The first occurrence strictly after `after`. */
export function nextOccurrence(s: WeeklySlot, after: Date): Date {
  const next = cronOf(s).nextRun(after);
  if (!next) throw new Error(`no next occurrence for ${s.weekday} ${s.time} ${s.timeZone}`);
  return next;
}

/** The latest occurrence at or before `now`, or null when there is none since `since`. */
export function dueOccurrence(s: WeeklySlot, now: Date, since: Date): Date | null {
  const cron = cronOf(s);
  // Eight days back always holds at least one weekly occurrence, DST shifts included.
  let t = cron.nextRun(new Date(now.getTime() - 8 * DAY_MS));
  let latest: Date | null = null;
  while (t && t.getTime() <= now.getTime()) {
    latest = t;
    t = cron.nextRun(t);
  }
  return latest && latest.getTime() >= since.getTime() ? latest : null;
}
