import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabelledJsonl } from '../../src/coach/eval.js';
import { DIMENSION_IDS, FeedbackSchema, type Metrics } from '../../src/coach/feedback.js';
import { computeMetrics } from '../../src/coach/metrics.js';
import { offlineFeedback, verdictFromMetrics } from '../../src/coach/offline-coach.js';
import type { Transcript } from '../../src/domain/transcript.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
// The shared, hand-labelled dev set (transcripts/README.md) lives next to the checkout, not in it.
const SAMPLES_PATH = path.resolve(repoRoot, '../shared/transcripts/samples.jsonl');
const hasSamples = existsSync(SAMPLES_PATH);
const loadSamples = () => parseLabelledJsonl(readFileSync(SAMPLES_PATH, 'utf8'), path.basename(SAMPLES_PATH));

const t = (language: string, sale: 'simple' | 'complex', ...texts: string[]): Transcript => ({
  language,
  sale,
  turns: texts.map((text, i) => ({ role: i % 2 === 0 ? 'rep' : 'buyer', text })),
});

const base: Metrics = {
  repWordShare: 0.5,
  repQuestions: 6,
  discoveryQuestions: 5,
  longestRepTurnWords: 60,
  closeAttempts: 1,
  finalCloseType: 'next_step',
  recapBeforeClose: true,
  addedArgumentAfterClose: false,
  pitchedBeforeDiscovery: false,
  buyerFlatNo: false,
  disguisedNo: true,
};

describe('verdictFromMetrics', () => {
  it.each([
    ['discovery, recap and one next-step close', {}, 'complex', 'connected'],
    [
      'good discovery but an argument after the close',
      { addedArgumentAfterClose: true, recapBeforeClose: false },
      'complex',
      'mixed',
    ],
    [
      'good discovery but never asks (soft seller)',
      { closeAttempts: 0, finalCloseType: 'none', recapBeforeClose: false },
      'simple',
      'mixed',
    ],
    [
      'pitches first, few questions, never asks',
      {
        discoveryQuestions: 2,
        pitchedBeforeDiscovery: true,
        closeAttempts: 0,
        finalCloseType: 'none',
        recapBeforeClose: false,
      },
      'simple',
      'script',
    ],
    [
      'pitbull with a flat no',
      {
        discoveryQuestions: 1,
        pitchedBeforeDiscovery: true,
        closeAttempts: 4,
        finalCloseType: 'order',
        recapBeforeClose: false,
        addedArgumentAfterClose: true,
        buyerFlatNo: true,
      },
      'simple',
      'script',
    ],
    [
      'pitches first, then recovers and closes well',
      { discoveryQuestions: 3, pitchedBeforeDiscovery: true, closeAttempts: 2, finalCloseType: 'order' },
      'simple',
      'mixed',
    ],
    [
      'order close in a complex sale without recap, after a pitch',
      {
        discoveryQuestions: 4,
        pitchedBeforeDiscovery: true,
        finalCloseType: 'order',
        recapBeforeClose: false,
        addedArgumentAfterClose: true,
      },
      'complex',
      'script',
    ],
    ['good discovery, clean close without a recap', { recapBeforeClose: false }, 'complex', 'connected'],
  ] as const)('%s → %s', (_name, patch, sale, verdict) => {
    expect(verdictFromMetrics({ ...base, ...patch }, sale, 'good')).toBe(verdict);
  });
});

const pitbull = t(
  'da',
  'simple',
  'Hej, det er Kasper fra CleanPro! Vi har et skarpt tilbud: halv pris de første to måneder. Skal jeg sende en aftale over?',
  'Vi har allerede en rengøringsdame.',
  'Hvor mange kvadratmeter er klinikken?',
  'Måske 120.',
  'Skal vi sige det? Vi har i øvrigt lige vundet en pris for bedste kundeservice.',
  'Næhh.',
  'Men hvad hvis jeg bare sender aftalen, så du kan skrive under?',
  'Nej tak.',
);

describe('offlineFeedback', () => {
  it('is offline, in the transcript language, with four scored dimensions and verbatim evidence', () => {
    const m = computeMetrics(pitbull);
    const fb = offlineFeedback(pitbull, m);
    expect(FeedbackSchema.parse(fb)).toEqual(fb);
    expect(fb.mode).toBe('offline');
    expect(fb.verdict).toBe('script');
    expect(fb.summary).toMatch(/^Vurdering: manuskript\./);
    expect(fb.summary).toContain('offline-coachen');
    expect(fb.dimensions.map((d) => d.id)).toEqual([...DIMENSION_IDS]);
    for (const d of fb.dimensions) {
      expect(d.evidence.length).toBeLessThanOrEqual(2);
      for (const e of d.evidence) expect(pitbull.turns[e.turn]!.text).toContain(e.quote);
    }
    const handling = fb.dimensions.find((d) => d.id === 'handling_no')!;
    expect(handling.score).toBe(1);
    expect(handling.evidence).toContainEqual({ turn: 5, quote: 'Næhh.' });
    expect(fb.nextTime).toMatch(/^Stil ét spørgsmål om, hvordan de beslutter/);
  });

  it('quotes the argument added after the close and tells the rep to stop typing', () => {
    const tr = t(
      'en',
      'complex',
      'How do you schedule the engineers today? And who decides on tools like this?',
      'A whiteboard. Dave, the owner, decides.',
      'What happens if nothing changes? And what budget would Dave look at?',
      'We keep losing jobs. A few grand at most.',
      'So, in your words: the whiteboard loses you jobs and Dave has a few grand. Shall we set up a trial? We also include free training.',
      'Maybe.',
    );
    const fb = offlineFeedback(tr, computeMetrics(tr));
    const close = fb.dimensions.find((d) => d.id === 'close')!;
    expect(close.evidence).toEqual([
      { turn: 4, quote: 'Shall we set up a trial?' },
      { turn: 4, quote: 'We also include free training.' },
    ]);
    expect(fb.nextTime).toBe('After your closing question, stop typing.');
  });

  it('tells a rep who pitched first to ask about the decision before presenting', () => {
    const tr = t(
      'sv',
      'simple',
      'Hej, det är Oskar. Vi har över 2 000 nöjda kunder och 20 procent rabatt. Ska jag skicka över avtalet?',
      'Det låter nog för dyrt.',
    );
    const fb = offlineFeedback(tr, computeMetrics(tr));
    expect(fb.verdict).toBe('script');
    expect(fb.summary).toMatch(/^Bedömning: manus\./);
    expect(fb.nextTime).toBe('Ställ en fråga om hur de fattar beslut innan du presenterar något.');
  });

  it('points discovery at the first step of the buying process the rep did not ask about', () => {
    // Asked who decides, and nothing about how they handle it today: that is the tip.
    const askedWhoDecides = t(
      'en',
      'complex',
      'Who else would have a say in a decision like this?',
      'Our COO and the finance team.',
      'Shall we book a demo for the three of you next week?',
      'We need to think about it.',
    );
    expect(offlineFeedback(askedWhoDecides, computeMetrics(askedWhoDecides)).nextTime).toBe(
      'Ask how they handle it today before you present anything.',
    );
    // Asked about today, what they tried and who decides, then closed well: why change at all comes next.
    const three = t(
      'da',
      'complex',
      'Hvordan klarer I rekrutteringen i dag?',
      'Vi annoncerer selv, og afdelingslederne sorterer ansøgningerne.',
      'Hvad har I prøvet for at løse det?',
      'Et vikarbureau, men det blev for dyrt for afdelingslederne.',
      'Hvem er med til at beslutte det?',
      'Direktionen, og HR-chefen.',
      'Så afdelingslederne sorterer selv, vikarbureauet blev for dyrt, og direktionen beslutter. Skal vi aftale et møde med direktionen og HR-chefen?',
      'Ja, det kan vi godt.',
    );
    const fb = offlineFeedback(three, computeMetrics(three));
    expect(fb.dimensions.find((d) => d.id === 'discovery')!.score).toBe(3);
    expect(fb.nextTime).toBe(
      'Spørg, hvad der sker, hvis de ikke ændrer noget: status quo er din egentlige konkurrent.',
    );
  });

  it('calls one unearned close that met a flat no unearned, and three closes the pitbull pattern', () => {
    const once = t(
      'en',
      'simple',
      'We have the best card readers on the market. Shall I send over the contract today?',
      'No, thanks.',
    );
    const close = (tr: Transcript) =>
      offlineFeedback(tr, computeMetrics(tr)).dimensions.find((d) => d.id === 'close')!;
    expect(close(once)).toMatchObject({
      score: 1,
      comment: 'You asked before you had earned it, and the buyer said no outright.',
    });
    const thrice = t(
      'en',
      'simple',
      'Shall I send over the contract today?',
      'I need to think about it.',
      'Shall I set it up for you?',
      'Not right now.',
      'Can I put you down for it?',
      'Leave it with me.',
    );
    expect(close(thrice)).toMatchObject({ score: 1, comment: '3 closing attempts: the pitbull pattern.' });
  });

  it('quotes the buyer’s own hedge in the tip when the rep went past it', () => {
    const tr = t(
      'nl',
      'simple',
      'Hoe regelt u het printen nu? En wie beslist daarover? Wat kost het u per maand?',
      'Twee oude printers. Dat beslis ik zelf. Ongeveer 310 euro.',
      'Zal ik een offerte voor twee nieuwe printers voor u klaarzetten?',
      'Stuur maar wat informatie, dan kijk ik er wel naar.',
      'Onze printers zijn de snelste van Nederland en de service is inbegrepen.',
      'Hm.',
    );
    const fb = offlineFeedback(tr, computeMetrics(tr));
    expect(fb.dimensions.find((d) => d.id === 'handling_no')!.score).toBe(2);
    expect(fb.nextTime).toBe(
      "Als je hoort 'Stuur maar wat informatie, dan kijk ik er wel naar.', vraag dan wat ze nodig hebben om te kunnen beslissen, in plaats van door te gaan.",
    );
  });

  it('asks a soft seller for one clear question at the end', () => {
    const tr = t(
      'nl',
      'simple',
      'Hoe regelen jullie de salarissen nu? En wie beslist daarover?',
      'Mijn boekhouder doet het, ik beslis.',
      'Wat kost dat u nu per maand? En wat gebeurt er als het zo blijft?',
      'Driehonderd euro. Dan blijf ik op zondag werken.',
      'Ik stuur u wat informatie, dan hoor ik het wel.',
      'Prima.',
    );
    const fb = offlineFeedback(tr, computeMetrics(tr));
    expect(fb.verdict).toBe('script');
    expect(fb.dimensions.find((d) => d.id === 'close')!.score).toBe(1);
    expect(fb.nextTime).toMatch(/^Sluit af met één duidelijke vraag/);
  });

  it.skipIf(!hasSamples)('gives valid feedback with verbatim quotes for every sample', () => {
    for (const row of loadSamples()) {
      const fb = offlineFeedback(row, computeMetrics(row));
      expect(FeedbackSchema.parse(fb)).toEqual(fb);
      for (const d of fb.dimensions) {
        expect(d.score).toBeGreaterThanOrEqual(1);
        for (const e of d.evidence) expect(row.turns[e.turn]!.text, row.id).toContain(e.quote);
      }
      expect(fb.nextTime.length).toBeGreaterThan(10);
    }
  });
});
