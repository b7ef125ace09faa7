import { describe, expect, it } from 'vitest';
import { nearestCommand, readTerminalInput, TERMINAL_COMMANDS } from '../../src/cli/commands.js';

describe('reading a terminal line', () => {
  it.each([
    ['/done', 'done'],
    ['/DONE', 'done'],
    ['  /end  ', 'done'],
    ['/quit', 'quit'],
    ['/exit', 'quit'],
    ['/help', 'help'],
    ['/?', 'help'],
    ['/retry', 'retry'],
    ['/retry please', 'retry'],
  ])('%j is the command %s', (line, kind) => {
    expect(readTerminalInput(line)).toEqual({ kind });
  });

  it.each([
    ['/dnoe', '/done'],
    ['/doen', '/done'],
    ['/don', '/done'],
    ['/retyr', '/retry'],
    ['/hlep', '/help'],
    ['/quti', '/quit'],
    // An alias's typo is answered with the command /help lists.
    ['/exti', '/quit'],
    ['/ned', '/done'],
  ])('%j is refused as unknown, with %s suggested', (line, suggestion) => {
    expect(readTerminalInput(line)).toEqual({ kind: 'unknown', command: line, suggestion });
  });

  it.each(['/foo', '/frobnicate', '/pricing now', '/å'])(
    '%j is refused as unknown with no suggestion',
    (line) => {
      expect(readTerminalInput(line)).toEqual({
        kind: 'unknown',
        command: line.split(' ')[0],
        suggestion: null,
      });
    },
  );

  it.each([
    'How do you take card payments today?',
    '/ 50% off was the old price',
    '1/2 of your stalls?',
    'done',
    'Could we say /done for today?',
    '',
  ])('%j goes to the buyer', (line) => {
    expect(readTerminalInput(line)).toEqual({ kind: 'message' });
  });

  it('suggests only commands that /help names', () => {
    for (const typo of ['/dnoe', '/exti', '/ned', '/hepl', '/rtery']) {
      expect(TERMINAL_COMMANDS).toContain(nearestCommand(typo));
    }
    expect(nearestCommand('/zzzzzz')).toBeNull();
  });
});
