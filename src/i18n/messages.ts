import type { Outcome } from '../buyer/types.js';
import type { DimensionId, Verdict } from '../coach/feedback.js';
import type { Language, SaleType } from '../domain/language.js';

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
  /** Slack: the visible message that opens a session thread. */
  sessionHeader: string;
  /** The scenario language's own name for itself. */
  languageName: string;
  sale: Record<SaleType, string>;
  difficulty: string;
  closeDrill: string;
  threadHint: string;
  endButton: string;
  retryButton: string;
  tryAgainButton: string;
  onlyRep: string;
  sessionNotFound: string;
  genericError: string;
  /** Why the buyer could not answer, by error code; `other` for anything else. */
  failureReason: Record<
    'llm_unavailable' | 'llm_timeout' | 'llm_bad_output' | 'scenario_not_found' | 'other',
    string
  >;
  /** Who said a quoted line, when it was the rep. */
  you: string;
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
  sessionHeader: '{user} is practising *{title}*',
  languageName: 'English',
  sale: { simple: 'simple sale', complex: 'complex sale' },
  difficulty: 'difficulty {n}/5',
  closeDrill: 'close drill',
  threadHint: 'Reply in this thread to talk to {name}. Press “End & get feedback” when you are done.',
  endButton: 'End & get feedback',
  retryButton: 'Retry',
  tryAgainButton: 'Try again',
  onlyRep: 'Only {user} can do that: it is their practice session.',
  sessionNotFound: 'This practice session no longer exists. Type /spar to start a new one.',
  genericError: 'Something went wrong on our side. Please try again in a moment.',
  failureReason: {
    llm_unavailable: 'the model server is not available',
    llm_timeout: 'the model took too long',
    llm_bad_output: 'the model gave an unusable answer',
    scenario_not_found: 'the scenario is no longer available',
    other: 'something went wrong',
  },
  you: 'You',
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
  sessionHeader: '{user} övar på *{title}*',
  languageName: 'svenska',
  sale: { simple: 'enkel försäljning', complex: 'komplex försäljning' },
  difficulty: 'svårighetsgrad {n}/5',
  closeDrill: 'avslutsövning',
  threadHint:
    'Svara i den här tråden för att prata med {name}. Tryck på ”Avsluta och få feedback” när du är klar.',
  endButton: 'Avsluta och få feedback',
  retryButton: 'Försök igen',
  tryAgainButton: 'Öva igen',
  onlyRep: 'Bara {user} kan göra det: det är deras övning.',
  sessionNotFound: 'Den här övningen finns inte längre. Skriv /spar för att starta en ny.',
  genericError: 'Något gick fel hos oss. Försök igen om en stund.',
  failureReason: {
    llm_unavailable: 'modellservern är inte tillgänglig',
    llm_timeout: 'modellen tog för lång tid på sig',
    llm_bad_output: 'modellen gav ett svar som inte gick att använda',
    scenario_not_found: 'scenariot finns inte längre',
    other: 'något gick fel',
  },
  you: 'Du',
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
  sessionHeader: '{user} øver *{title}*',
  languageName: 'dansk',
  sale: { simple: 'simpelt salg', complex: 'komplekst salg' },
  difficulty: 'sværhedsgrad {n}/5',
  closeDrill: 'lukkeøvelse',
  threadHint: 'Svar i denne tråd for at tale med {name}. Tryk på “Afslut og få feedback”, når du er færdig.',
  endButton: 'Afslut og få feedback',
  retryButton: 'Prøv igen',
  tryAgainButton: 'Øv igen',
  onlyRep: 'Kun {user} kan gøre det: det er deres øvelse.',
  sessionNotFound: 'Denne øvelse findes ikke længere. Skriv /spar for at starte en ny.',
  genericError: 'Noget gik galt hos os. Prøv igen om lidt.',
  failureReason: {
    llm_unavailable: 'modelserveren er ikke tilgængelig',
    llm_timeout: 'modellen var for længe om det',
    llm_bad_output: 'modellen gav et svar, der ikke kunne bruges',
    scenario_not_found: 'scenariet findes ikke længere',
    other: 'noget gik galt',
  },
  you: 'Du',
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
  sessionHeader: '{user} oefent *{title}*',
  languageName: 'Nederlands',
  sale: { simple: 'eenvoudige verkoop', complex: 'complexe verkoop' },
  difficulty: 'moeilijkheid {n}/5',
  closeDrill: 'afsluitoefening',
  threadHint:
    'Antwoord in deze thread om met {name} te praten. Klik op ‘Stoppen en feedback krijgen’ als je klaar bent.',
  endButton: 'Stoppen en feedback krijgen',
  retryButton: 'Opnieuw proberen',
  tryAgainButton: 'Opnieuw oefenen',
  onlyRep: 'Alleen {user} kan dat doen: het is hun oefensessie.',
  sessionNotFound: 'Deze oefensessie bestaat niet meer. Typ /spar om een nieuwe te starten.',
  genericError: 'Er ging bij ons iets mis. Probeer het zo opnieuw.',
  failureReason: {
    llm_unavailable: 'de modelserver is niet bereikbaar',
    llm_timeout: 'het model deed er te lang over',
    llm_bad_output: 'het model gaf een onbruikbaar antwoord',
    scenario_not_found: 'het scenario bestaat niet meer',
    other: 'er ging iets mis',
  },
  you: 'Jij',
};

export const MESSAGES: Record<Language, Messages> = { en, sv, da, nl };

export const messages = (language: string | null | undefined): Messages =>
  MESSAGES[(language ?? 'en') as Language] ?? MESSAGES.en;

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than disappearing. */
export const fill = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
