import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/domain/language.js';
import { analyzeRepTurnInDetail } from '../../src/text/analyze.js';

/**
 * Two behaviours read by what the rep does, not by the words: saying the buyer's answer back and then asking the
 * next question on the list (a mirror that uses nothing), and a concrete joint proposal that ends the turn (a
 * close, whatever its verb). Each case has a twin that differs in the behaviour only.
 */
type Turn = { language: Language; buyer: string[]; rep: string[] };
const read = ({ language, buyer, rep }: Turn) =>
  analyzeRepTurnInDetail(rep.at(-1)!, language, buyer, { previousRepTexts: rep.slice(0, -1) });

const OPENING: Record<Language, string> = {
  en: 'How do you plan the rota today?',
  sv: 'Hur planerar ni schemat i dag?',
  da: 'Hvordan planlægger I vagtplanen i dag?',
  nl: 'Hoe plannen jullie het rooster nu?',
};

const mirrors: Array<{ language: Language; buyer: string; parrot: string; listener: string }> = [
  {
    language: 'en',
    buyer:
      'Paper rotas in the staff room, and each centre manager keeps his own Excel. Spring is the nightmare.',
    parrot:
      "So what you're saying is you use paper rotas and Excel, and spring is busy. What would you say your biggest pain points are?",
    listener:
      'Paper in the staff room and an Excel per centre. What happens in spring when those two disagree?',
  },
  {
    language: 'sv',
    buyer: 'Kunderna ringer eller sms:ar mig. Och så Instagram. Jag svarar mellan klippningarna.',
    parrot:
      'Okej, så det du säger är att kunderna bokar via telefon, sms och Instagram. Vad är er budget för ett system?',
    listener: 'Mellan klippningarna, med kunden i stolen. Hur många bokningar tappar ni då, tror du?',
  },
  {
    language: 'da',
    buyer:
      'Elregningen er steget 40 procent på to år. Trykluftanlægget kører hele natten, også når vi ikke producerer.',
    parrot:
      'Så det, du siger, er, at elregningen er steget, og at trykluften kører om natten. Hvem træffer beslutningen om en investering?',
    listener:
      'Hele natten, også uden produktion? Hvad koster trykluften jer om natten, hvis I har regnet på det?',
  },
  {
    language: 'nl',
    buyer:
      'Een pakket uit 2004 op een server in de kelder. De leverancier stopt volgend jaar met de ondersteuning.',
    parrot:
      'Dus wat u zegt is dat het pakket uit 2004 is en dat de ondersteuning stopt. Wat is uw tijdlijn voor een beslissing?',
    listener:
      'Een server in de kelder uit 2004. Wat gebeurt er met uw voorraad als die server er na volgend jaar mee stopt?',
  },
];

describe('a mirror, then the next question on the list', () => {
  it.each(mirrors)('$language: repeated and moved on is parroting; building on it is a follow-up', (c) => {
    const base = { language: c.language, buyer: [c.buyer] };
    const parrot = read({ ...base, rep: [OPENING[c.language], c.parrot] });
    expect(parrot.mirrorThenMoveOn).toBe(true);
    expect(parrot.parrot).toBe(true);
    expect(parrot.followUp).toBeNull();
    expect(parrot.usedWords).toEqual([]);

    const listener = read({ ...base, rep: [OPENING[c.language], c.listener] });
    expect(listener.mirrorThenMoveOn).toBe(false);
    expect(listener.parrot).toBe(false);
    expect(listener.followUp).not.toBeNull();
  });

  it('does not count a recap that gathers several answers as a mirror', () => {
    const d = read({
      language: 'en',
      buyer: [
        'The phone rings out while I am treating, and people just go down the road.',
        'Six no-shows a week, at forty-five pounds each. I text reminders from my own phone at nine at night.',
      ],
      rep: [
        OPENING.en,
        'What does that cost you?',
        'So, in your words: the phone ringing out while you treat, six no-shows a week at forty-five pounds, and texts from your own phone at nine at night. Shall I set up the reminders for you?',
      ],
    });
    expect(d.sentences.some((s) => s.mirror)).toBe(false);
    expect(d.recap).toBe(true);
    expect(d.close?.kind).toBe('order');
  });
});

const proposals: Array<{
  language: Language;
  close: string;
  kind: 'order' | 'next_step';
  notAClose: string;
}> = [
  {
    language: 'en',
    close:
      'Could we fit sensors in Carlton Hall only over the Easter break, and go through the log with Dean in May?',
    kind: 'next_step',
    notAClose: 'Could we fit sensors in Carlton Hall, or is the wiring too old for that?',
  },
  {
    language: 'sv',
    close: 'Ska vi sätta en sådan dag med Bosse före semestern?',
    kind: 'next_step',
    notAClose: 'Ska vi prata om hur Bosse ser på det?',
  },
  {
    language: 'da',
    close: 'Skal vi prøvekøre det på ét hold i fire uger, og så kigge på tallene sammen med Poul?',
    kind: 'next_step',
    notAClose: 'Skal vi tage Poul med i snakken, eller er det for tidligt?',
  },
  {
    language: 'nl',
    close: 'Zullen we op één project vier weken een toegangspoortje neerzetten, met jouw uitvoerder erbij?',
    kind: 'next_step',
    notAClose: 'Zullen we eerst kijken hoe jouw uitvoerders nu registreren?',
  },
];

describe('a concrete joint proposal that ends the turn', () => {
  it.each(proposals)('$language: is a close; a question about how to go on is not', (c) => {
    const buyer = ['It works, mostly.'];
    const close = read({ language: c.language, buyer, rep: [OPENING[c.language], c.close] });
    expect(close.close?.kind).toBe(c.kind);
    const other = read({ language: c.language, buyer, rep: [OPENING[c.language], c.notAClose] });
    expect(other.close).toBeNull();
  });

  it('reads a proposal that opens an account as the order', () => {
    const d = read({
      language: 'sv',
      buyer: ['Vi får se.'],
      rep: [OPENING.sv, 'Ska vi starta ditt konto redan i dag?'],
    });
    expect(d.close?.kind).toBe('order');
  });

  it('is not read in the opening turn, where "shall we start with…" is how a call begins', () => {
    const text = 'Could we start with the rota for the next month?';
    expect(analyzeRepTurnInDetail(text, 'en', []).close).toBeNull();
    // The same words later in the call propose something concrete.
    expect(read({ language: 'en', buyer: ['Fine.'], rep: [OPENING.en, text] }).close).not.toBeNull();
  });
});
