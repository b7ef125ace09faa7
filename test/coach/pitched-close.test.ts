import { describe, expect, it } from 'vitest';
import { analyzeTranscript, computeMetrics } from '../../src/coach/metrics.js';
import { offlineFeedback } from '../../src/coach/offline-coach.js';
import type { Transcript } from '../../src/domain/transcript.js';

/**
 * Good discovery that builds on every answer, then the close: once on the back of the buyer's own points, once on
 * the back of a product presentation or a "summary" of buzzwords. Same questions, same close question; only what
 * leads into the close differs, and with it the verdict.
 */
const discovery = (lines: string[][]): Transcript['turns'] =>
  lines.flatMap(([rep, buyer]) => [
    { role: 'rep' as const, text: rep! },
    { role: 'buyer' as const, text: buyer! },
  ]);

const EN = discovery([
  [
    'Thanks for making time, Ellie. How do bookings reach the clinic today?',
    'By phone, mostly. It rings out while I am treating, and people just go down the road to the other physio.',
  ],
  [
    'Down the road, while you are treating. How many do you think you lose that way in a week?',
    'Four or five. And six no-shows a week on top, at forty-five pounds each. I text reminders from my own phone at nine at night.',
  ],
  [
    'From your own phone at nine at night. Is this your call alone, or does your business partner have a say?',
    'Mine. I just need it to stop eating my evenings.',
  ],
]);

const cases = {
  recap:
    'So, in your words: calls ringing out while you treat, people going down the road, six no-shows a week at forty-five pounds, and reminder texts from your own phone at nine at night. Shall I set it up for you?',
  presentation:
    'Let me tell you what Bookwell does. It has online booking with a widget for your website, automated SMS and email reminders, a waiting list, deposits and card-on-file, GDPR-compliant hosting, integrations with Xero and Google Calendar, and reporting dashboards for utilisation and revenue. Over four hundred clinics use it. Shall I set it up for you?',
  buzzwords:
    'Great. So to sum up: efficiency, automation, scalability and a modern cloud platform with smart dashboards. That is exactly what Bookwell delivers. Shall I set it up for you?',
};

const judge = (close: string) => {
  const t: Transcript = {
    language: 'en',
    sale: 'simple',
    turns: [...EN, { role: 'rep', text: close }, { role: 'buyer', text: 'Go on then.' }],
  };
  return {
    verdict: offlineFeedback(t, computeMetrics(t)).verdict,
    pitchedClose: analyzeTranscript(t).listening.pitchedClose,
  };
};

describe('what leads into the close', () => {
  it('the buyer’s own points: connected', () => {
    expect(judge(cases.recap)).toEqual({ verdict: 'connected', pitchedClose: false });
  });

  it('a product presentation: the listening stopped there, mixed', () => {
    expect(judge(cases.presentation)).toEqual({ verdict: 'mixed', pitchedClose: true });
  });

  it('a "summary" of buzzwords: no recap, and two answers never used, not connected', () => {
    const { verdict, pitchedClose } = judge(cases.buzzwords);
    expect(pitchedClose).toBe(true);
    expect(['mixed', 'script']).toContain(verdict);
  });
});
