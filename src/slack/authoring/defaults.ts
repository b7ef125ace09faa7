import type { Language } from '../../domain/language.js';
import type { FactKind, OfflineLines } from '../../scenarios/schema.js';

/**
 * What a scenario written in the Slack form gets for the fields the form leaves out: the scripted buyer's lines,
 * the face-saving refusals, an opening, and per kind of hidden fact what earns its reveal and which words in a
 * rep's question go after it. In the scenario's language; `{name}`, `{role}` and `{company}` are the persona's.
 */
export type AuthoringDefaults = {
  opening: string;
  brief: string;
  buyingProcess: string;
  disguisedNos: string[];
  lines: OfflineLines;
  revealWhen: Record<FactKind, string>;
  /** Lower-case word starts (any inflection) and phrases, as `keywords` in a scenario file. */
  keywords: Record<FactKind, string[]>;
};

export const AUTHORING_DEFAULTS: Record<Language, AuthoringDefaults> = {
  en: {
    opening: '{name} speaking. I only have a few minutes. What is this about?',
    brief: 'You are talking to {name}, {role} at {company}.',
    buyingProcess:
      '{name} has not decided to change anything yet. Doing nothing is a real option, and others may have a say in the decision.',
    disguisedNos: [
      'We need to think about it.',
      'It sounds a bit expensive for us.',
      "I'm not sure it's the right fit for us right now.",
    ],
    lines: {
      guarded: ['It works, mostly.', 'Depends on the day.', 'What do you mean, exactly?'],
      pitch: [
        "That's a lot of features. What does it mean for us?",
        'Mm. Everyone says that.',
        "You've lost me a bit there.",
      ],
      pressure: [
        "I don't decide things on the spot.",
        "Let's not rush this.",
        "You've asked me that already.",
      ],
      reflection: ["Yes, that's exactly it.", "That's it in a nutshell.", "Right, you've got it."],
      off_topic: [
        "Sorry, I don't follow. What does that have to do with this?",
        "Let's stick to what you called about.",
      ],
      impression: [
        "It's interesting, but I don't see yet what it changes for us.",
        "I'm not sure what you want me to do next.",
        'I still know too little to say yes.',
      ],
      wrap_up: "I have to go now. Send me something by email and I'll have a look.",
    },
    revealWhen: {
      pain: 'The rep asks what is hard today or what goes wrong.',
      current_state: 'The rep asks how things work today.',
      workaround: 'The rep asks what they have tried themselves so far.',
      decision_group: 'The rep asks who else is involved in the decision and how it will be made.',
      budget: 'The rep asks about budget or how the price will be judged.',
      status_quo: 'The rep asks what happens if nothing changes.',
      timeline: 'The rep asks when it has to be in place.',
      internal_impact: 'The rep asks how a change would affect the people involved.',
      other: 'The rep asks a genuine, open question about it.',
    },
    keywords: {
      pain: ['problem', 'difficult', 'hard', 'wrong', 'challeng', 'frustrat', 'struggl', 'worr'],
      current_state: ['today', 'currently', 'use', 'work', 'system', 'process', 'setup'],
      workaround: ['tried', 'try', 'workaround', 'manag', 'cope', 'solv', 'fix'],
      decision_group: ['decid', 'decision', 'involv', 'who else', 'board', 'approv', 'sign'],
      budget: ['budget', 'cost', 'price', 'pay', 'afford', 'spend', 'invest'],
      status_quo: ['nothing', 'change', 'stay', 'same', 'why now', 'alternativ'],
      timeline: ['when', 'timing', 'deadline', 'soon', 'date'],
      internal_impact: ['affect', 'staff', 'colleag', 'people', 'impact', 'react'],
      other: [],
    },
  },
  sv: {
    opening: 'Hej, {name} här. Jag har bara några minuter. Vad gäller det?',
    brief: 'Du pratar med {name}, {role} på {company}.',
    buyingProcess:
      '{name} har inte bestämt sig för att ändra något än. Att inte göra något är ett verkligt alternativ, och fler kan ha något att säga till om i beslutet.',
    disguisedNos: [
      'Vi behöver fundera på det.',
      'Det låter lite dyrt för oss.',
      'Jag är inte säker på att det passar oss just nu.',
    ],
    lines: {
      guarded: ['Det fungerar, för det mesta.', 'Det beror på dagen.', 'Hur menar du då?'],
      pitch: [
        'Det var mycket funktioner. Vad betyder det för oss?',
        'Mm. Det säger alla.',
        'Nu tappade du mig lite.',
      ],
      pressure: [
        'Jag bestämmer inget på stående fot.',
        'Vi behöver inte stressa.',
        'Det har du redan frågat.',
      ],
      reflection: ['Ja, precis så är det.', 'Där satt den.', 'Precis, du har förstått.'],
      off_topic: [
        'Förlåt, jag hänger inte med. Vad har det med saken att göra?',
        'Vi håller oss till det du ringde om.',
      ],
      impression: [
        'Det är intressant, men jag ser inte riktigt vad det ändrar för oss än.',
        'Jag vet inte riktigt vad du vill att jag ska göra nu.',
        'Jag vet fortfarande för lite för att säga ja.',
      ],
      wrap_up: 'Jag måste gå nu. Skicka något på mejl så tittar jag på det.',
    },
    revealWhen: {
      pain: 'Säljaren frågar vad som är svårt i dag eller vad som går fel.',
      current_state: 'Säljaren frågar hur det fungerar i dag.',
      workaround: 'Säljaren frågar vad de har provat själva hittills.',
      decision_group: 'Säljaren frågar vilka fler som är med i beslutet och hur det går till.',
      budget: 'Säljaren frågar om budget eller hur priset kommer att bedömas.',
      status_quo: 'Säljaren frågar vad som händer om ingenting ändras.',
      timeline: 'Säljaren frågar när det måste vara på plats.',
      internal_impact: 'Säljaren frågar hur en förändring skulle påverka de inblandade.',
      other: 'Säljaren ställer en uppriktig, öppen fråga om det.',
    },
    keywords: {
      pain: ['problem', 'svår', 'fel', 'utmaning', 'frustr', 'besvär', 'oro'],
      current_state: ['idag', 'i dag', 'nuläge', 'använd', 'fungerar', 'system', 'process'],
      workaround: ['provat', 'prova', 'försökt', 'löst', 'lösning', 'hanter', 'klarar'],
      decision_group: ['beslut', 'bestäm', 'vilka', 'involv', 'ledning', 'styrelse', 'godkänn'],
      budget: ['budget', 'kost', 'pris', 'betala', 'invest', 'råd'],
      status_quo: ['ingenting', 'förändr', 'ändra', 'samma', 'varför nu', 'alternativ'],
      timeline: ['när', 'tidplan', 'deadline', 'snart', 'datum'],
      internal_impact: ['påverk', 'personal', 'kollega', 'medarbetar', 'reager', 'berör'],
      other: [],
    },
  },
  da: {
    opening: 'Hej, det er {name}. Jeg har kun et par minutter. Hvad drejer det sig om?',
    brief: 'Du taler med {name}, {role} hos {company}.',
    buyingProcess:
      '{name} har ikke besluttet at ændre noget endnu. At lade være er en reel mulighed, og flere kan have noget at sige i beslutningen.',
    disguisedNos: [
      'Vi skal lige tænke over det.',
      'Det lyder lidt dyrt for os.',
      'Jeg er ikke sikker på, at det passer til os lige nu.',
    ],
    lines: {
      guarded: ['Det fungerer, for det meste.', 'Det kommer an på dagen.', 'Hvad mener du helt præcist?'],
      pitch: [
        'Det var mange funktioner. Hvad betyder det for os?',
        'Mm. Det siger alle.',
        'Nu mistede du mig lidt.',
      ],
      pressure: [
        'Jeg beslutter ikke noget på stående fod.',
        'Lad os nu ikke forhaste det.',
        'Det har du allerede spurgt om.',
      ],
      reflection: ['Ja, det er lige præcis det.', 'Der ramte du den.', 'Præcis, du har forstået det.'],
      off_topic: [
        'Undskyld, jeg følger ikke med. Hvad har det med sagen at gøre?',
        'Lad os holde os til det, du ringede om.',
      ],
      impression: [
        'Det er interessant, men jeg kan ikke se, hvad det ændrer for os endnu.',
        'Jeg ved ikke rigtig, hvad du gerne vil have mig til nu.',
        'Jeg ved stadig for lidt til at sige ja.',
      ],
      wrap_up: 'Jeg bliver nødt til at gå nu. Send mig noget på mail, så kigger jeg på det.',
    },
    revealWhen: {
      pain: 'Sælgeren spørger, hvad der er svært i dag, eller hvad der går galt.',
      current_state: 'Sælgeren spørger, hvordan det fungerer i dag.',
      workaround: 'Sælgeren spørger, hvad de selv har prøvet indtil nu.',
      decision_group:
        'Sælgeren spørger, hvem der ellers er med i beslutningen, og hvordan den bliver truffet.',
      budget: 'Sælgeren spørger om budget, eller hvordan prisen bliver vurderet.',
      status_quo: 'Sælgeren spørger, hvad der sker, hvis intet ændrer sig.',
      timeline: 'Sælgeren spørger, hvornår det skal være på plads.',
      internal_impact: 'Sælgeren spørger, hvordan en ændring vil påvirke de involverede.',
      other: 'Sælgeren stiller et ærligt, åbent spørgsmål om det.',
    },
    keywords: {
      pain: ['problem', 'svær', 'galt', 'udfordr', 'frustr', 'besvær', 'bekymr'],
      current_state: ['i dag', 'idag', 'bruger', 'fungerer', 'system', 'proces'],
      workaround: ['prøvet', 'prøve', 'forsøgt', 'løst', 'løsning', 'klarer', 'håndter'],
      decision_group: ['beslut', 'hvem', 'involv', 'ledelse', 'bestyrelse', 'godkend'],
      budget: ['budget', 'kost', 'pris', 'betale', 'invest', 'råd'],
      status_quo: ['ingenting', 'intet', 'ændr', 'samme', 'hvorfor nu', 'alternativ'],
      timeline: ['hvornår', 'tidsplan', 'deadline', 'snart', 'dato'],
      internal_impact: ['påvirk', 'medarbejder', 'kolleg', 'personale', 'reager', 'berør'],
      other: [],
    },
  },
  nl: {
    opening: 'Met {name}. Ik heb maar een paar minuten. Waar gaat het over?',
    brief: 'Je spreekt met {name}, {role} bij {company}.',
    buyingProcess:
      '{name} heeft nog niet besloten om iets te veranderen. Niets doen is een reële optie, en anderen kunnen meebeslissen.',
    disguisedNos: [
      'We moeten er nog even over nadenken.',
      'Het klinkt wat duur voor ons.',
      'Ik weet niet of het nu echt iets voor ons is.',
    ],
    lines: {
      guarded: ['Het werkt, meestal.', 'Dat hangt van de dag af.', 'Wat bedoel je precies?'],
      pitch: [
        'Dat zijn veel functies. Wat betekent dat voor ons?',
        'Mm. Dat zegt iedereen.',
        'Nu raak je me een beetje kwijt.',
      ],
      pressure: ['Ik beslis niets ter plekke.', 'Laten we het niet overhaasten.', 'Dat heb je al gevraagd.'],
      reflection: ['Ja, dat is het precies.', 'Daar zeg je wat.', 'Precies, je snapt het.'],
      off_topic: [
        'Sorry, ik volg je niet. Wat heeft dat ermee te maken?',
        'Laten we het houden bij waarvoor je belt.',
      ],
      impression: [
        'Het is interessant, maar ik zie nog niet wat het voor ons verandert.',
        'Ik weet niet goed wat je nu van me wilt.',
        'Ik weet nog te weinig om ja te zeggen.',
      ],
      wrap_up: 'Ik moet nu gaan. Stuur me iets per mail, dan kijk ik ernaar.',
    },
    revealWhen: {
      pain: 'De verkoper vraagt wat er vandaag lastig is of wat er misgaat.',
      current_state: 'De verkoper vraagt hoe het nu werkt.',
      workaround: 'De verkoper vraagt wat ze zelf al hebben geprobeerd.',
      decision_group:
        'De verkoper vraagt wie er nog meer bij de beslissing betrokken is en hoe die tot stand komt.',
      budget: 'De verkoper vraagt naar het budget of hoe de prijs beoordeeld wordt.',
      status_quo: 'De verkoper vraagt wat er gebeurt als er niets verandert.',
      timeline: 'De verkoper vraagt wanneer het geregeld moet zijn.',
      internal_impact: 'De verkoper vraagt hoe een verandering de betrokkenen raakt.',
      other: 'De verkoper stelt er een oprechte, open vraag over.',
    },
    keywords: {
      pain: ['probleem', 'lastig', 'moeilijk', 'misgaat', 'uitdag', 'frustr', 'zorg'],
      current_state: ['momenteel', 'huidig', 'gebruik', 'werkt', 'systeem', 'proces'],
      workaround: ['geprobeerd', 'probeer', 'oplossing', 'opgelost', 'behelp'],
      decision_group: ['beslis', 'besluit', 'wie', 'betrokken', 'directie', 'bestuur', 'goedkeur'],
      budget: ['budget', 'kost', 'prijs', 'betal', 'invest'],
      status_quo: ['niets', 'verander', 'hetzelfde', 'waarom nu', 'alternatief'],
      timeline: ['wanneer', 'planning', 'deadline', 'binnenkort', 'datum'],
      internal_impact: ['raakt', 'medewerker', 'collega', 'personeel', 'reager', 'gevolg'],
      other: [],
    },
  },
};

/** Trust (0-100) a fact of each kind needs before the buyer reveals it: pains come early, money and power late. */
export const MIN_TRUST: Record<FactKind, number> = {
  pain: 20,
  current_state: 15,
  workaround: 25,
  decision_group: 35,
  budget: 35,
  status_quo: 30,
  timeline: 20,
  internal_impact: 30,
  other: 25,
};

/** The buyer's trust at the start by difficulty: a harder buyer starts colder. */
export const TRUST_START: Record<number, number> = { 1: 45, 2: 35, 3: 25, 4: 20, 5: 15 };
