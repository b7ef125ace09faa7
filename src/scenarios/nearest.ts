/**
 * Edit distance with adjacent transpositions (optimal string alignment): "florsit" is one step from "florist",
 * as a typist would count it.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The id without its language prefix: people often type "florist-card-readers" for "en-florist-card-readers". */
const withoutLanguage = (id: string) => id.replace(/^[a-z]{2}-/, '');

/**
 * The known ids closest to what someone typed, best first (at most `limit`): a prefix or a part of an id
 * (three characters or more), or a few typos away from the id or from the id without its language prefix.
 * Empty when nothing is close enough to be a guess worth making.
 */
export function nearestIds(typed: string, ids: readonly string[], limit = 3): string[] {
  const asked = typed.trim().toLowerCase();
  if (asked.length < 3) return [];
  // Longer ids tolerate more typos: about one per four characters, at least two.
  const tolerance = Math.max(2, Math.floor(asked.length / 4));
  const scored: Array<{ id: string; score: number }> = [];
  for (const id of ids) {
    const lower = id.toLowerCase();
    let score: number;
    if (lower.startsWith(asked) || withoutLanguage(lower).startsWith(asked)) score = 0;
    else if (lower.includes(asked)) score = 0.5;
    else {
      const distance = Math.min(editDistance(asked, lower), editDistance(asked, withoutLanguage(lower)));
      if (distance > tolerance) continue;
      score = distance;
    }
    scored.push({ id, score });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.id.localeCompare(y.id))
    .slice(0, limit)
    .map((s) => s.id);
}
