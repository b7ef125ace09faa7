/** What the rep typed in a terminal session: a command, or a message for the buyer. */
export type TerminalInput =
  | { kind: 'done' | 'quit' | 'help' | 'retry' }
  | { kind: 'unknown'; command: string; suggestion: string | null }
  | { kind: 'message' };

/** The commands /help names; the aliases are accepted but never suggested. */
export const TERMINAL_COMMANDS = ['/done', '/retry', '/help', '/quit'] as const;

const ALIASES: Record<string, Exclude<TerminalInput['kind'], 'unknown' | 'message'>> = {
  '/done': 'done',
  '/end': 'done',
  '/quit': 'quit',
  '/exit': 'quit',
  '/help': 'help',
  '/?': 'help',
  '/retry': 'retry',
};

/**
 * Reads one line. A line whose first word starts with "/" and a letter (or is "/?") is a command attempt: a known
 * one is that command (words after it are ignored), anything else is refused rather than sent to the buyer, with the nearest command as a hint.
 * A slash followed by a space or a digit ("/ 50% off", "1/2") is ordinary text.
 */
export function readTerminalInput(line: string): TerminalInput {
  const word = line.trim().split(/\s+/, 1)[0]!.toLowerCase();
  const kind = ALIASES[word];
  if (kind) return { kind };
  if (!/^\/(\p{L}|\?)/u.test(word)) return { kind: 'message' };
  return { kind: 'unknown', command: word, suggestion: nearestCommand(word) };
}

/** The command within two edits (a swap of neighbours is one) of `word`, or null. */
export function nearestCommand(word: string): string | null {
  let best: { command: string; distance: number } | null = null;
  for (const command of [...TERMINAL_COMMANDS, '/end', '/exit']) {
    const distance = editDistance(word, command);
    if (distance <= 2 && (!best || distance < best.distance)) best = { command, distance };
  }
  if (!best) return null;
  // An alias is answered with the command it stands for, so a hint is always one /help lists.
  const kind = ALIASES[best.command]!;
  return TERMINAL_COMMANDS.find((c) => ALIASES[c] === kind) ?? best.command;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
