import type { Outcome } from '../buyer/types.js';
import type { Feedback } from '../coach/feedback.js';
import type { Turn } from '../domain/transcript.js';
import { messages } from '../i18n/messages.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The feedback as plain text for a terminal, in the transcript's language. */
export function formatFeedback(
  feedback: Feedback,
  opts: { language?: string | null; turns: readonly Turn[]; outcome?: Outcome | null },
): string {
  const t = messages(opts.language);
  const m = feedback.metrics;
  const yn = (b: boolean) => (b ? t.yes : t.no);
  const lines: string[] = [];
  lines.push(`━━ ${t.feedbackTitle}: ${t.verdict[feedback.verdict]} ━━`);
  if (feedback.fallback) lines.push(`⚠ ${t.coachFallback}`);
  else if (feedback.mode === 'offline') lines.push(t.coachOffline);
  if (opts.outcome) lines.push(t.outcome[opts.outcome]);
  lines.push('', feedback.summary, '');
  for (const d of feedback.dimensions) {
    lines.push(`${t.dimension[d.id]}: ${'●'.repeat(d.score)}${'○'.repeat(5 - d.score)} ${d.score}/5`);
    if (d.comment) lines.push(`  ${d.comment}`);
    for (const e of d.evidence) {
      const who = opts.turns[e.turn]?.role === 'buyer' ? '◂' : '▸';
      lines.push(`  ${who} #${e.turn}: “${e.quote}”`);
    }
  }
  lines.push(
    '',
    `${t.metrics}:`,
    `  ${t.metric.repWordShare}: ${pct(m.repWordShare)}`,
    `  ${t.metric.questions}: ${m.repQuestions} (${m.discoveryQuestions})`,
    `  ${t.metric.closeAttempts}: ${m.closeAttempts}; ${t.metric.finalCloseType}: ${t.closeType[m.finalCloseType]}`,
    `  ${t.metric.recapBeforeClose}: ${yn(m.recapBeforeClose)}`,
    `  ${t.metric.addedArgumentAfterClose}: ${yn(m.addedArgumentAfterClose)}`,
    `  ${t.metric.pitchedBeforeDiscovery}: ${yn(m.pitchedBeforeDiscovery)}`,
    `  ${t.metric.buyerNo}: ${yn(m.buyerFlatNo)} / ${yn(m.disguisedNo)}`,
    '',
    `${t.nextTime}: ${feedback.nextTime}`,
  );
  return lines.join('\n');
}
