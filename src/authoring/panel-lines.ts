import type { Language } from '../domain/language.js';

/** What each generic rep of the test panel says, per language. None of them reads the buyer's replies. */
export type PanelLines = {
  /** A pitch with a deadline and a discount, then the order. */
  pitbull: readonly string[];
  /** Friendly features and offers to send something; never asks for a commitment. */
  softSeller: readonly string[];
  /** A block of textbook discovery questions, asked two at a time whatever the answers. */
  checklist: readonly string[];
  /** What the parrot puts in front of the buyer's own last line. */
  parrotPrefix: string;
  /** A question the parrot adds after the pasted line. */
  parrotQuestion: readonly string[];
  /** Questions stuffed with buying-process words that say nothing specific. */
  keywordStuffer: readonly string[];
  /** A "recap" made of the same words, before the close. */
  stuffedRecap: string;
  /** Pleasant filler between the soft closes. */
  filler: readonly string[];
  softClose: readonly string[];
  /** The generic closes a script-runner ends on. */
  close: { order: string; next_step: string };
};

export const PANEL_LINES: Record<Language, PanelLines> = {
  en: {
    pitbull: [
      'We are the market leader with over 2,000 happy customers, and this month you get 30% off. Shall I set it up for you today?',
      'This discount is only valid until Friday. If you sign today I can add three months free. Shall we go ahead?',
      'Honestly, you will not find a better price anywhere. Shall I send the contract over now?',
      'Last chance: the offer ends this week. Can I count you in?',
    ],
    softSeller: [
      'Our solution is really easy to use and customers love it.',
      'We also have great integrations and a friendly support team.',
      "I'll send you a brochure with all the details.",
      'Feel free to call me whenever suits you.',
    ],
    checklist: [
      'How do you handle this today?',
      'What have you tried so far?',
      'Who makes the decision?',
      'What is your budget?',
      'What is your timeline?',
      'What happens if you change nothing?',
      'How would this affect your team?',
      'What is your biggest challenge?',
    ],
    parrotPrefix: 'So if I understand you correctly,',
    parrotQuestion: ['Can you tell me more?', 'What else matters to you?', 'Who else is involved?'],
    keywordStuffer: [
      'How do you handle the problem today, and what does it cost you?',
      'What have you tried yourselves, and who decides on the budget?',
      'When is your deadline, and how does it affect your team?',
      'What happens if nothing changes, and what matters most to you?',
    ],
    stuffedRecap:
      'So, to sum up: the problem, the cost, the budget, the decision, the team and the timeline all matter to you.',
    filler: ['That makes sense.', 'Thanks, that is helpful.', 'Interesting.', 'I see.'],
    softClose: ['How shall we proceed?', 'What is your impression of this conversation?'],
    close: {
      order: 'Shall I set that up for you then?',
      next_step: 'Shall we book a demo with the people who decide?',
    },
  },
  sv: {
    pitbull: [
      'Vi är marknadsledande med över 2 000 nöjda kunder, och den här månaden får du 30 procent rabatt. Ska jag ordna det åt dig i dag?',
      'Rabatten gäller bara till fredag. Om du skriver på i dag får du tre månader gratis. Ska vi köra?',
      'Ärligt talat hittar du inget bättre pris. Ska jag skicka över avtalet nu?',
      'Sista chansen: erbjudandet gäller bara den här veckan. Kan jag räkna med dig?',
    ],
    softSeller: [
      'Vår lösning är väldigt enkel att använda och kunderna älskar den.',
      'Vi har också bra integrationer och en trevlig support.',
      'Jag skickar en broschyr med alla detaljer.',
      'Ring mig gärna när det passar dig.',
    ],
    checklist: [
      'Hur hanterar ni det här i dag?',
      'Vad har ni provat hittills?',
      'Vem fattar beslutet?',
      'Vad har ni för budget?',
      'Vad har ni för tidsplan?',
      'Vad händer om ni inte ändrar något?',
      'Hur skulle det påverka ert team?',
      'Vad är er största utmaning?',
    ],
    parrotPrefix: 'Så om jag förstår dig rätt,',
    parrotQuestion: ['Kan du berätta mer?', 'Vad mer är viktigt för dig?', 'Vem mer är inblandad?'],
    keywordStuffer: [
      'Hur hanterar ni problemet i dag, och vad kostar det er?',
      'Vad har ni provat själva, och vem bestämmer över budgeten?',
      'När är er deadline, och hur påverkar det ert team?',
      'Vad händer om inget förändras, och vad är viktigast för dig?',
    ],
    stuffedRecap:
      'Så för att sammanfatta: problemet, kostnaden, budgeten, beslutet, teamet och tidsplanen är viktiga för dig.',
    filler: ['Det låter rimligt.', 'Tack, det var hjälpsamt.', 'Intressant.', 'Jag förstår.'],
    softClose: ['Hur går vi vidare?', 'Vad är ditt intryck av det här samtalet?'],
    close: { order: 'Ska jag ordna det åt dig då?', next_step: 'Ska vi boka en demo med dem som beslutar?' },
  },
  da: {
    pitbull: [
      'Vi er markedsledende med over 2.000 tilfredse kunder, og denne måned får du 30 procent rabat. Skal jeg sætte det op for dig i dag?',
      'Rabatten gælder kun til fredag. Hvis du skriver under i dag, får du tre måneder gratis. Skal vi køre?',
      'Helt ærligt finder du ikke en bedre pris. Skal jeg sende aftalen over nu?',
      'Sidste chance: tilbuddet gælder kun denne uge. Kan jeg regne med dig?',
    ],
    softSeller: [
      'Vores løsning er meget nem at bruge, og kunderne er vilde med den.',
      'Vi har også gode integrationer og en venlig support.',
      'Jeg sender dig en brochure med alle detaljerne.',
      'Du er velkommen til at ringe, når det passer dig.',
    ],
    checklist: [
      'Hvordan håndterer I det i dag?',
      'Hvad har I prøvet indtil nu?',
      'Hvem træffer beslutningen?',
      'Hvad er jeres budget?',
      'Hvad er jeres tidsplan?',
      'Hvad sker der, hvis I ikke ændrer noget?',
      'Hvordan ville det påvirke jeres team?',
      'Hvad er jeres største udfordring?',
    ],
    parrotPrefix: 'Så hvis jeg forstår dig rigtigt,',
    parrotQuestion: [
      'Kan du fortælle mere?',
      'Hvad er ellers vigtigt for dig?',
      'Hvem er ellers involveret?',
    ],
    keywordStuffer: [
      'Hvordan håndterer I problemet i dag, og hvad koster det jer?',
      'Hvad har I selv prøvet, og hvem bestemmer over budgettet?',
      'Hvornår er jeres deadline, og hvordan påvirker det jeres team?',
      'Hvad sker der, hvis intet ændrer sig, og hvad er vigtigst for dig?',
    ],
    stuffedRecap:
      'Så lad mig samle op: problemet, omkostningerne, budgettet, beslutningen, teamet og tidsplanen er vigtige for dig.',
    filler: ['Det giver mening.', 'Tak, det var en hjælp.', 'Spændende.', 'Jeg forstår.'],
    softClose: ['Hvordan kommer vi videre herfra?', 'Hvad er dit indtryk af samtalen?'],
    close: {
      order: 'Skal jeg sætte det op for dig så?',
      next_step: 'Skal vi booke en demo med dem, der beslutter?',
    },
  },
  nl: {
    pitbull: [
      'Wij zijn marktleider met meer dan 2.000 tevreden klanten, en deze maand krijgt u 30 procent korting. Zal ik het vandaag voor u regelen?',
      'De korting geldt alleen tot vrijdag. Als u vandaag tekent, krijgt u drie maanden gratis. Zullen we het doen?',
      'Eerlijk gezegd vindt u nergens een betere prijs. Zal ik het contract nu opsturen?',
      'Laatste kans: de actie loopt deze week af. Mag ik op u rekenen?',
    ],
    softSeller: [
      'Onze oplossing is heel gebruiksvriendelijk en klanten zijn er dol op.',
      'We hebben ook mooie koppelingen en een vriendelijke support.',
      'Ik stuur u een brochure met alle details.',
      'Belt u me gerust wanneer het u uitkomt.',
    ],
    checklist: [
      'Hoe regelen jullie dit nu?',
      'Wat hebben jullie tot nu toe geprobeerd?',
      'Wie neemt de beslissing?',
      'Wat is uw budget?',
      'Wat is uw planning?',
      'Wat gebeurt er als u niets verandert?',
      'Wat zou dit betekenen voor uw team?',
      'Wat is uw grootste uitdaging?',
    ],
    parrotPrefix: 'Dus als ik u goed begrijp,',
    parrotQuestion: [
      'Kunt u daar meer over vertellen?',
      'Wat is verder belangrijk voor u?',
      'Wie is er verder bij betrokken?',
    ],
    keywordStuffer: [
      'Hoe regelen jullie het probleem nu, en wat kost het jullie?',
      'Wat hebben jullie zelf geprobeerd, en wie beslist over het budget?',
      'Wanneer is uw deadline, en wat betekent het voor uw team?',
      'Wat gebeurt er als er niets verandert, en wat is voor u het belangrijkst?',
    ],
    stuffedRecap:
      'Even op een rij: het probleem, de kosten, het budget, de beslissing, het team en de planning zijn belangrijk voor u.',
    filler: ['Dat klinkt logisch.', 'Dank u, dat helpt.', 'Interessant.', 'Ik begrijp het.'],
    softClose: ['Hoe gaan we verder?', 'Wat is uw indruk van dit gesprek?'],
    close: {
      order: 'Zal ik het dan voor u regelen?',
      next_step: 'Zullen we een demo inplannen met de mensen die beslissen?',
    },
  },
};
