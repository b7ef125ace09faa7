import type { Turn } from '../domain/transcript.js';
import type { Dimension, Evidence } from './feedback.js';

/** Typographic variants an LLM tends to normalise; compared as equal, the quote shown is the transcript's own. */
const fold = (s: string): string =>
  s
    .replace(/[\u2018\u2019\u201A\u201B]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ');

/**
 * Returns the evidence item with the quote exactly as it stands in the transcript, or null when the quote is not
 * a verbatim substring of turn `turn`. Only whitespace and typographic quotes/dashes may differ, and only when the
 * folded lengths line up one-to-one with the original, so what is shown is always the rep's own text.
 */
export function verifyEvidence(turns: readonly Turn[], evidence: Evidence): Evidence | null {
  const turn = turns[evidence.turn];
  const quote = evidence.quote.trim().replace(/^["'“”‘’]+|["'“”‘’]+$/g, '');
  if (!turn || quote.length === 0) return null;
  if (turn.text.includes(quote)) return { turn: evidence.turn, quote };
  const folded = fold(turn.text);
  const at = folded.indexOf(fold(quote));
  if (at < 0 || folded.length !== turn.text.length) return null;
  return { turn: evidence.turn, quote: turn.text.slice(at, at + fold(quote).length) };
}

/** Drops every quote that is not verbatim; keeps the dimension itself. */
export const verifyDimensions = (turns: readonly Turn[], dimensions: readonly Dimension[]): Dimension[] =>
  dimensions.map((d) => ({
    ...d,
    evidence: d.evidence.flatMap((e) => {
      const ok = verifyEvidence(turns, e);
      return ok ? [ok] : [];
    }),
  }));
