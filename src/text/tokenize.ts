/** A sentence of a message, with offsets into the original text so quotes stay verbatim. */
export type Sentence = {
  /** The sentence exactly as written (trimmed). */
  text: string;
  start: number;
  end: number;
  /** Ends in a question mark. */
  question: boolean;
};

const LETTER = /[\p{L}\p{N}]/u;
const TERMINATOR = /[.!?…]/u;
const CLOSER = /["'”’»)\]]/u;

// A full stop after these does not end a sentence (English, Swedish, Danish, Dutch).
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'ca',
  'approx',
  't.ex',
  'bl.a',
  'dvs',
  'osv',
  'resp',
  'f.eks',
  'mht',
  'pga',
  'ift',
  'bijv',
  'o.a',
  'd.w.z',
  'z.s.m',
  'mevr',
  'dhr',
  'pr',
  'kr',
  'kl',
  'nr',
]);

const isAbbreviation = (text: string, dotAt: number): boolean => {
  let i = dotAt - 1;
  while (i >= 0 && /[\p{L}.]/u.test(text[i]!)) i--;
  const token = text.slice(i + 1, dotAt).toLowerCase();
  // A lone capital ("J. Smith") is an initial, not the end of a sentence.
  if (/^\p{Lu}$/u.test(text.slice(i + 1, dotAt))) return true;
  return ABBREVIATIONS.has(token);
};

/**
 * Splits a message into sentences at . ! ? … (followed by a space or the end) and at line breaks. Numbers such as
 * "24.95" or "den 1.?" and common abbreviations do not split.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed.length > 0 && LETTER.test(trimmed)) {
      const s = start + lead;
      out.push({ text: trimmed, start: s, end: s + trimmed.length, question: /\?/.test(trimmed) });
    } else if (trimmed.length > 0 && out.length > 0) {
      // Stray punctuation ("…", "?!") belongs to the sentence before it.
      const last = out[out.length - 1]!;
      const merged = text.slice(last.start, start + lead + trimmed.length);
      out[out.length - 1] = {
        ...last,
        text: merged,
        end: last.start + merged.length,
        question: /\?/.test(merged),
      };
    }
    start = end;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      push(i);
      i++;
      continue;
    }
    if (TERMINATOR.test(ch)) {
      let j = i;
      while (j < text.length && TERMINATOR.test(text[j]!)) j++;
      while (j < text.length && CLOSER.test(text[j]!)) j++;
      const atEnd = j >= text.length || /\s/.test(text[j]!);
      const run = text.slice(i, j);
      const singleDot = run.replace(CLOSER, '') === '.';
      // Danish ordinals ("den 3. maj"): a number, a full stop and a lower-case word do not end a sentence.
      const continues =
        singleDot && i > 0 && /\p{N}/u.test(text[i - 1]!) && /^\p{Ll}/u.test(text.slice(j).trimStart());
      if (atEnd && !continues && !(singleDot && isAbbreviation(text, i))) {
        push(j);
        i = j;
        continue;
      }
      i = j;
      continue;
    }
    i++;
  }
  push(text.length);
  return out;
}

/** Typographic variants folded to plain ASCII punctuation; letters are left alone (NFC). */
export const normalize = (s: string): string =>
  s
    .normalize('NFC')
    .replace(/[\u2018\u2019\u201A\u201B`´]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F«»]/g, '"')
    .replace(/[\u2013\u2014\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

const WORD = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;

/** Lower-case words (letters and digits, with inner apostrophes and hyphens), Unicode-aware (å ä ö æ ø é). */
export const words = (text: string): string[] => normalize(text).match(WORD) ?? [];

/** Words that carry meaning: not a stopword, at least three letters, or a number of two digits or more. */
export const contentWords = (text: string, stopwords: ReadonlySet<string>): string[] =>
  words(text).filter((w) => !stopwords.has(w) && (/^\p{N}+$/u.test(w) ? w.length >= 2 : w.length >= 3));

/**
 * Two words count as the same when they share a prefix covering all but the last two letters of the shorter one
 * (at least four): "calls"/"call", "packare"/"packar", "zondagavond"/"zondagavond". Cheap, and good enough across
 * four languages without a stemmer.
 */
export function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 4) return false;
  const need = Math.max(4, shorter - 2);
  let k = 0;
  while (k < shorter && a[k] === b[k]) k++;
  return k >= need;
}

/** The distinct words of `source` that `target` echoes back (by stem). */
export function echoed(target: readonly string[], source: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const s of source) {
    if (seen.has(s)) continue;
    if (target.some((t) => sameStem(t, s))) seen.add(s);
  }
  return [...seen];
}
