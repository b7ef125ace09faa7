import type { Buyer, BuyerState, HistoryTurn } from '../../src/buyer/types.js';
import type { Language } from '../../src/domain/language.js';
import type { Scenario } from '../../src/scenarios/schema.js';
import { splitSentences } from '../../src/text/tokenize.js';
import { PROBES } from './probes.js';

/** How a rep in each language reflects, recaps and closes; plain phrasing the analyzers know, nothing more. */
const PHRASES: Record<
  Language,
  { reflect: string; recap: string; order: string; nextStep: string; pitch: string; push: string }
> = {
  en: {
    reflect: 'So',
    recap: 'So, in your own words',
    order: 'Shall I set that up for you?',
    nextStep: 'Shall we set up a meeting with everyone who decides next week?',
    pitch: 'We are the market leader with over 2,000 happy customers and the best product on the market.',
    push: 'If you sign today you get 20% off, but only this week. Shall I set it up for you?',
  },
  sv: {
    reflect: 'Så',
    recap: 'Så för att sammanfatta med dina egna ord',
    order: 'Ska jag ordna det åt dig?',
    nextStep: 'Ska vi boka ett möte med alla som beslutar nästa vecka?',
    pitch: 'Vi är marknadsledande med över 2 000 nöjda kunder och den bästa produkten på marknaden.',
    push: 'Om du skriver på i dag får du 20 procent rabatt, men bara den här veckan. Ska jag ordna det åt dig?',
  },
  da: {
    reflect: 'Så',
    recap: 'Så lad mig samle op med dine egne ord',
    order: 'Skal jeg sætte det op for dig?',
    nextStep: 'Skal vi aftale et møde med dem, der beslutter, i næste uge?',
    pitch: 'Vi er markedsledende med over 2.000 tilfredse kunder og det bedste produkt på markedet.',
    push: 'Hvis du skriver under i dag, får du 20 procent rabat, men kun i denne uge. Skal jeg sætte det op for dig?',
  },
  nl: {
    reflect: 'Dus',
    recap: 'Even op een rij, in uw eigen woorden',
    order: 'Zal ik dat voor u in orde maken?',
    nextStep: 'Zullen we volgende week een afspraak inplannen met iedereen die beslist?',
    pitch: 'Wij zijn marktleider met meer dan 2.000 tevreden klanten en het beste product op de markt.',
    push: 'Als u vandaag tekent, krijgt u 20 procent korting, maar alleen deze week. Zal ik dat voor u in orde maken?',
  },
};

export type Played = { rep: string[]; buyer: string[]; state: BuyerState };

/** The buyer's sentence with the most to take back: its longest. */
const gist = (text: string) =>
  splitSentences(text)
    .map((s) => s.text)
    .reduce((a, b) => (b.length > a.length ? b : a), '');
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

async function run(buyer: Buyer, scenario: Scenario, next: (p: Played) => string | null): Promise<Played> {
  const opening = buyer.open(scenario);
  const history: HistoryTurn[] = [{ role: 'buyer', text: opening.text }];
  const played: Played = { rep: [], buyer: [opening.text], state: opening.state };
  for (let turn = 0; turn < 30 && !played.state.ended; turn++) {
    const repText = next(played);
    if (repText === null) break;
    const r = await buyer.reply({ scenario, history, state: played.state, repText });
    history.push({ role: 'rep', text: repText }, { role: 'buyer', text: r.text });
    played.rep.push(repText);
    played.buyer.push(r.text);
    played.state = r.state;
  }
  return played;
}

/**
 * A rep who connects: asks natural questions about the buyer's situation (PROBES), takes back in the buyer's
 * words what it revealed, recaps the essentials in the buyer's words, and asks once, for the kind of yes the sale
 * calls for. In a close drill: the recap and the ask.
 */
export function connectedRep(buyer: Buyer, scenario: Scenario): Promise<Played> {
  const lang = scenario.language as Language;
  const p = PHRASES[lang];
  const close = scenario.earned_yes.kind === 'order' ? p.order : p.nextStep;
  const probes = [...(PROBES[scenario.id] ?? [])];
  const asked = new Set<string>();
  const essentials = scenario.hidden_facts.filter((f) => f.essential);
  const recap = (words: string[]) => `${p.recap}: ${words.map((w) => lowerFirst(w)).join(' ')} ${close}`;

  return run(buyer, scenario, (played) => {
    if (scenario.start === 'close') {
      if (played.rep.length > 0) return null;
      const summary = scenario.close_summary ?? '';
      return recap(
        splitSentences(summary)
          .slice(0, 3)
          .map((s) => s.text),
      );
    }
    const uncovered = new Set(played.state.uncovered);
    const lastBuyer = played.buyer.at(-1) ?? '';
    const justRevealed = scenario.hidden_facts.find((f) => f.reveal_line === lastBuyer);
    if (essentials.every((f) => uncovered.has(f.id))) {
      return recap(essentials.map((f) => gist(f.reveal_line)));
    }
    const question = probes.find(([q, factId]) => !asked.has(q) && !uncovered.has(factId))?.[0];
    if (!question) return null;
    asked.add(question);
    return justRevealed ? `${p.reflect} ${lowerFirst(gist(justRevealed.reveal_line))} ${question}` : question;
  });
}

/** A pitbull: presents, then closes with a deadline and a discount, and asks again and again. */
export function pitbullRep(buyer: Buyer, scenario: Scenario): Promise<Played> {
  const p = PHRASES[scenario.language as Language];
  return run(buyer, scenario, (played) =>
    played.rep.length === 0 ? `${p.pitch} ${p.push}` : played.rep.length < 5 ? p.push : null,
  );
}
