import { describe, expect, it } from 'vitest';
import { parseDrillCommand, parseWeekday } from '../../src/drills/command.js';
import { dueOccurrence, isValidTimeZone, nextOccurrence, parseTime } from '../../src/drills/schedule.js';

const at = (iso: string) => new Date(iso);
const monday9Stockholm = { weekday: 1, time: '09:00', timeZone: 'Europe/Stockholm' };

describe('nextOccurrence', () => {
  it('is the weekday and wall-clock time in the manager’s time zone, across the spring DST change', () => {
    // Winter (CET, UTC+1): Monday 9:00 is 8:00 UTC; after 30 March 2025 (CEST, UTC+2) it is 7:00 UTC.
    expect(nextOccurrence(monday9Stockholm, at('2025-03-20T10:00:00Z')).toISOString()).toBe(
      '2025-03-24T08:00:00.000Z',
    );
    expect(nextOccurrence(monday9Stockholm, at('2025-03-24T08:00:00Z')).toISOString()).toBe(
      '2025-03-31T07:00:00.000Z',
    );
    // Strictly after: at the occurrence itself, the next one is a week later.
    expect(nextOccurrence(monday9Stockholm, at('2025-03-31T07:00:00Z')).toISOString()).toBe(
      '2025-04-07T07:00:00.000Z',
    );
  });

  it('goes back an hour in UTC in the autumn, and keeps New York on its own calendar', () => {
    expect(nextOccurrence(monday9Stockholm, at('2025-10-21T00:00:00Z')).toISOString()).toBe(
      '2025-10-27T08:00:00.000Z',
    );
    const ny = { weekday: 5, time: '16:30', timeZone: 'America/New_York' };
    // US DST ends 2 November 2025, a week after Europe's.
    expect(nextOccurrence(ny, at('2025-10-27T00:00:00Z')).toISOString()).toBe('2025-10-31T20:30:00.000Z');
    expect(nextOccurrence(ny, at('2025-11-01T00:00:00Z')).toISOString()).toBe('2025-11-07T21:30:00.000Z');
  });

  it('moves a time that does not exist (the DST gap) to the first minute after it, and runs a repeated one once', () => {
    const gap = { weekday: 0, time: '02:30', timeZone: 'Europe/Stockholm' };
    // Sunday 30 March 2025: 02:00 jumps to 03:00 local, i.e. 01:00 UTC.
    expect(nextOccurrence(gap, at('2025-03-29T00:00:00Z')).toISOString()).toBe('2025-03-30T01:00:00.000Z');
    // Sunday 26 October 2025: 02:30 happens twice (00:30 and 01:30 UTC); the drill runs at the first.
    const first = nextOccurrence(gap, at('2025-10-25T00:00:00Z'));
    expect(first.toISOString()).toBe('2025-10-26T00:30:00.000Z');
    expect(nextOccurrence(gap, first).toISOString()).toBe('2025-11-02T01:30:00.000Z');
  });
});

describe('dueOccurrence', () => {
  const created = at('2025-03-20T10:00:00Z');

  it('is the latest occurrence at or before now, never one before the drill was created', () => {
    expect(dueOccurrence(monday9Stockholm, at('2025-03-23T12:00:00Z'), created)).toBeNull();
    expect(dueOccurrence(monday9Stockholm, at('2025-03-24T07:59:59Z'), created)).toBeNull();
    expect(dueOccurrence(monday9Stockholm, at('2025-03-24T08:00:00Z'), created)?.toISOString()).toBe(
      '2025-03-24T08:00:00.000Z',
    );
    // Down for two and a half weeks: only the latest missed slot is due.
    expect(dueOccurrence(monday9Stockholm, at('2025-04-09T12:00:00Z'), created)?.toISOString()).toBe(
      '2025-04-07T07:00:00.000Z',
    );
    // Created a minute after this week's slot: nothing is due until next week.
    expect(
      dueOccurrence(monday9Stockholm, at('2025-03-24T08:05:00Z'), at('2025-03-24T08:01:00Z')),
    ).toBeNull();
  });
});

describe('parsing', () => {
  it('reads times, weekdays in four languages, and time zones', () => {
    expect(parseTime('9:05')).toBe('09:05');
    expect(parseTime('16.30')).toBe('16:30');
    expect(parseTime('24:00')).toBeNull();
    expect(parseTime('9am')).toBeNull();
    expect(['monday', 'Mondays', 'mån', 'måndag', 'mandag', 'maandag'].map(parseWeekday)).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
    expect(['sunday', 'söndag', 'søndag', 'zondag', 'fri', 'lørdag'].map(parseWeekday)).toEqual([
      0, 0, 0, 0, 5, 6,
    ]);
    expect(parseWeekday('someday')).toBeNull();
    expect(isValidTimeZone('Europe/Copenhagen')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('parses `/spar drill …`', () => {
    expect(parseDrillCommand('en-florist-card-readers every Monday 09:00')).toEqual({
      kind: 'schedule',
      scenarioId: 'en-florist-card-readers',
      weekday: 1,
      time: '09:00',
      publicAttempts: false,
    });
    expect(parseDrillCommand('sv-x every fredag at 8:15')).toMatchObject({ weekday: 5, time: '08:15' });
    // `public` at the end keeps the attempts in the channel.
    expect(parseDrillCommand('sv-x every fredag at 8:15 PUBLIC')).toEqual({
      kind: 'schedule',
      scenarioId: 'sv-x',
      weekday: 5,
      time: '08:15',
      publicAttempts: true,
    });
    expect(parseDrillCommand('sv-x every fredag 8:15 public')).toMatchObject({ publicAttempts: true });
    expect(parseDrillCommand('sv-x every fredag 8:15 private')).toMatchObject({ kind: 'invalid' });
    // A scenario called "public" is still a scenario.
    expect(parseDrillCommand('public every monday 09:00')).toMatchObject({
      scenarioId: 'public',
      publicAttempts: false,
    });
    expect(parseDrillCommand('list')).toEqual({ kind: 'list' });
    expect(parseDrillCommand('results')).toEqual({ kind: 'results' });
    expect(parseDrillCommand('stop DABC123')).toEqual({ kind: 'stop', drillId: 'dabc123' });
    expect(parseDrillCommand('')).toEqual({ kind: 'help' });
    expect(parseDrillCommand('stop')).toMatchObject({ kind: 'invalid' });
    expect(parseDrillCommand('x every someday 09:00')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('someday'),
    });
    expect(parseDrillCommand('x every monday 9am')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('9am'),
    });
    expect(parseDrillCommand('x monday 09:00')).toMatchObject({ kind: 'invalid' });
  });
});
