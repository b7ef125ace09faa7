import type { Outcome } from '../buyer/types.js';
import type { DimensionId, Verdict } from '../coach/feedback.js';
import type { Language } from '../domain/language.js';

/** Everything the app itself says to a rep, in the scenario's language. Placeholders: {name}. */
export type Messages = {
  offlineBanner: string;
  cliIntro: string;
  closeDrillIntro: string;
  buyerFailed: string;
  textEmpty: string;
  textTooLong: string;
  sessionEnded: string;
  ignoredAfterEnd: string;
  coaching: string;
  feedbackTitle: string;
  verdict: Record<Verdict, string>;
  outcome: Record<Outcome, string>;
  dimension: Record<DimensionId, string>;
  summary: string;
  nextTime: string;
  metrics: string;
  metric: {
    repWordShare: string;
    questions: string;
    closeAttempts: string;
    finalCloseType: string;
    recapBeforeClose: string;
    addedArgumentAfterClose: string;
    pitchedBeforeDiscovery: string;
    buyerNo: string;
  };
  closeType: Record<'order' | 'next_step' | 'none', string>;
  yes: string;
  no: string;
  coachOffline: string;
};

const en: Messages = {
  offlineBanner:
    'Offline mode: no model is configured, so a scripted buyer plays the scenario and the coach uses metrics only.',
  cliIntro:
    'You are practising "{title}". Type your messages. /done ends and shows the feedback, /retry retries a failed reply, /quit leaves.',
  closeDrillIntro: 'Close drill. The conversation so far, in the buyer’s words:',
  buyerFailed: 'The buyer could not answer ({reason}). Your message is kept; retry when you are ready.',
  textEmpty: 'That message is empty; nothing was sent to the buyer.',
  textTooLong:
    'That message has {length} characters; the buyer reads at most {max}. Nothing was sent; try a shorter one.',
  sessionEnded: 'This practice session has ended. Start a new one to try again.',
  ignoredAfterEnd: 'The session had already ended; the buyer did not read that.',
  coaching: 'The coach is reading the conversation…',
  feedbackTitle: 'Feedback',
  verdict: {
    connected: 'You connected with the buyer',
    script: 'You ran the script',
    mixed: 'Mixed: some connection, some script',
  },
  outcome: {
    yes: 'The buyer said yes.',
    next_step: 'The buyer agreed to a next step.',
    no: 'The buyer said no.',
    open: 'No decision: the conversation ended open.',
  },
  dimension: {
    discovery: 'Discovery',
    listening: 'Listening and reflecting',
    handling_no: 'Handling the no',
    close: 'The close',
  },
  summary: 'Summary',
  nextTime: 'Next time',
  metrics: 'Metrics',
  metric: {
    repWordShare: 'Your share of the words',
    questions: 'Questions (discovery)',
    closeAttempts: 'Close attempts',
    finalCloseType: 'Last close',
    recapBeforeClose: 'Recap before the close',
    addedArgumentAfterClose: 'Added an argument after the close',
    pitchedBeforeDiscovery: 'Pitched before discovery',
    buyerNo: 'Buyer’s no (flat / disguised)',
  },
  closeType: { order: 'the order', next_step: 'a next step', none: 'none' },
  yes: 'yes',
  no: 'no',
  coachOffline: 'Offline coach: judged from the metrics alone.',
};

const sv: Messages = {
  offlineBanner:
    'Offlineläge: ingen modell är konfigurerad, så en skriptad köpare spelar scenariot och coachen använder bara mätvärden.',
  cliIntro:
    'Du övar på "{title}". Skriv dina meddelanden. /done avslutar och visar feedback, /retry försöker igen efter ett fel, /quit lämnar.',
  closeDrillIntro: 'Avslutsövning. Samtalet hittills, med köparens egna ord:',
  buyerFailed: 'Köparen kunde inte svara ({reason}). Ditt meddelande är sparat; försök igen när du vill.',
  textEmpty: 'Meddelandet är tomt; ingenting skickades till köparen.',
  textTooLong:
    'Meddelandet har {length} tecken; köparen läser högst {max}. Ingenting skickades; försök med ett kortare.',
  sessionEnded: 'Den här övningen är avslutad. Starta en ny för att försöka igen.',
  ignoredAfterEnd: 'Övningen var redan avslutad; köparen läste inte det.',
  coaching: 'Coachen läser samtalet…',
  feedbackTitle: 'Feedback',
  verdict: {
    connected: 'Du fick kontakt med köparen',
    script: 'Du körde manus',
    mixed: 'Blandat: en del kontakt, en del manus',
  },
  outcome: {
    yes: 'Köparen sa ja.',
    next_step: 'Köparen gick med på ett nästa steg.',
    no: 'Köparen sa nej.',
    open: 'Inget beslut: samtalet slutade öppet.',
  },
  dimension: {
    discovery: 'Behovsanalys',
    listening: 'Lyssna och spegla',
    handling_no: 'Hantera nejet',
    close: 'Avslutet',
  },
  summary: 'Sammanfattning',
  nextTime: 'Nästa gång',
  metrics: 'Mätvärden',
  metric: {
    repWordShare: 'Din andel av orden',
    questions: 'Frågor (behovsfrågor)',
    closeAttempts: 'Avslutsförsök',
    finalCloseType: 'Sista avslutet',
    recapBeforeClose: 'Sammanfattning före avslutet',
    addedArgumentAfterClose: 'Lade till ett argument efter avslutsfrågan',
    pitchedBeforeDiscovery: 'Presenterade innan behovsanalysen',
    buyerNo: 'Köparens nej (rakt / förtäckt)',
  },
  closeType: { order: 'ordern', next_step: 'ett nästa steg', none: 'inget' },
  yes: 'ja',
  no: 'nej',
  coachOffline: 'Offlinecoach: bedömd enbart utifrån mätvärdena.',
};

const da: Messages = {
  offlineBanner:
    'Offlinetilstand: der er ingen model sat op, så en scriptet køber spiller scenariet, og coachen bruger kun målinger.',
  cliIntro:
    'Du øver "{title}". Skriv dine beskeder. /done afslutter og viser feedback, /retry prøver igen efter en fejl, /quit forlader.',
  closeDrillIntro: 'Lukkeøvelse. Samtalen indtil nu, med køberens egne ord:',
  buyerFailed: 'Køberen kunne ikke svare ({reason}). Din besked er gemt; prøv igen, når du er klar.',
  textEmpty: 'Beskeden er tom; der blev ikke sendt noget til køberen.',
  textTooLong:
    'Beskeden har {length} tegn; køberen læser højst {max}. Der blev ikke sendt noget; prøv med en kortere.',
  sessionEnded: 'Denne øvelse er afsluttet. Start en ny for at prøve igen.',
  ignoredAfterEnd: 'Øvelsen var allerede afsluttet; køberen læste ikke det.',
  coaching: 'Coachen læser samtalen…',
  feedbackTitle: 'Feedback',
  verdict: {
    connected: 'Du fik connection med køberen',
    script: 'Du kørte manuskriptet',
    mixed: 'Blandet: noget connection, noget manuskript',
  },
  outcome: {
    yes: 'Køberen sagde ja.',
    next_step: 'Køberen sagde ja til et næste skridt.',
    no: 'Køberen sagde nej.',
    open: 'Ingen beslutning: samtalen sluttede åben.',
  },
  dimension: {
    discovery: 'Afdækning',
    listening: 'Lytning og spejling',
    handling_no: 'Håndtering af nejet',
    close: 'Afslutningen',
  },
  summary: 'Opsummering',
  nextTime: 'Næste gang',
  metrics: 'Målinger',
  metric: {
    repWordShare: 'Din andel af ordene',
    questions: 'Spørgsmål (afdækning)',
    closeAttempts: 'Lukkeforsøg',
    finalCloseType: 'Sidste lukning',
    recapBeforeClose: 'Opsummering før lukningen',
    addedArgumentAfterClose: 'Tilføjede et argument efter lukkespørgsmålet',
    pitchedBeforeDiscovery: 'Præsenterede før afdækningen',
    buyerNo: 'Køberens nej (direkte / forklædt)',
  },
  closeType: { order: 'ordren', next_step: 'et næste skridt', none: 'ingen' },
  yes: 'ja',
  no: 'nej',
  coachOffline: 'Offlinecoach: vurderet ud fra målingerne alene.',
};

const nl: Messages = {
  offlineBanner:
    'Offlinemodus: er is geen model ingesteld, dus een gescripte koper speelt het scenario en de coach gebruikt alleen metingen.',
  cliIntro:
    'Je oefent "{title}". Typ je berichten. /done stopt en toont de feedback, /retry probeert het opnieuw na een fout, /quit verlaat.',
  closeDrillIntro: 'Afsluitoefening. Het gesprek tot nu toe, in de woorden van de koper:',
  buyerFailed:
    'De koper kon niet antwoorden ({reason}). Je bericht is bewaard; probeer het opnieuw wanneer je wilt.',
  textEmpty: 'Dat bericht is leeg; er is niets naar de koper gestuurd.',
  textTooLong:
    'Dat bericht heeft {length} tekens; de koper leest er hoogstens {max}. Er is niets verstuurd; probeer een korter bericht.',
  sessionEnded: 'Deze oefensessie is afgelopen. Start een nieuwe om het opnieuw te proberen.',
  ignoredAfterEnd: 'De sessie was al afgelopen; de koper heeft dat niet gelezen.',
  coaching: 'De coach leest het gesprek…',
  feedbackTitle: 'Feedback',
  verdict: {
    connected: 'Je had echt contact met de koper',
    script: 'Je draaide het script af',
    mixed: 'Gemengd: deels contact, deels script',
  },
  outcome: {
    yes: 'De koper zei ja.',
    next_step: 'De koper ging akkoord met een volgende stap.',
    no: 'De koper zei nee.',
    open: 'Geen besluit: het gesprek eindigde open.',
  },
  dimension: {
    discovery: 'Behoefteonderzoek',
    listening: 'Luisteren en spiegelen',
    handling_no: 'Omgaan met het nee',
    close: 'De afsluiting',
  },
  summary: 'Samenvatting',
  nextTime: 'Volgende keer',
  metrics: 'Metingen',
  metric: {
    repWordShare: 'Jouw aandeel in de woorden',
    questions: 'Vragen (behoefteonderzoek)',
    closeAttempts: 'Afsluitpogingen',
    finalCloseType: 'Laatste afsluiting',
    recapBeforeClose: 'Samenvatting vóór de afsluiting',
    addedArgumentAfterClose: 'Argument toegevoegd na de afsluitvraag',
    pitchedBeforeDiscovery: 'Gepitcht vóór het behoefteonderzoek',
    buyerNo: 'Nee van de koper (botweg / verhuld)',
  },
  closeType: { order: 'de order', next_step: 'een volgende stap', none: 'geen' },
  yes: 'ja',
  no: 'nee',
  coachOffline: 'Offline coach: alleen op basis van de metingen beoordeeld.',
};

export const MESSAGES: Record<Language, Messages> = { en, sv, da, nl };

export const messages = (language: string | null | undefined): Messages =>
  MESSAGES[(language ?? 'en') as Language] ?? MESSAGES.en;

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than disappearing. */
export const fill = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
