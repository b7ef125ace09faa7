import { type Language, type SaleType, toLanguage } from '../domain/language.js';
import type { Transcript } from '../domain/transcript.js';
import { anyMatch } from '../text/lexicon.js';
import { LEXICONS } from '../text/lexicons/index.js';
import { normalize, splitSentences, words } from '../text/tokenize.js';
import { type CoachContext, NO_CONTEXT } from './context.js';
import { verifyDimensions } from './evidence.js';
import type { Dimension, DimensionId, Evidence, Feedback, Metrics, Verdict } from './feedback.js';
import { type AnalyzedTurn, analyzeTranscript, type Listening, type RepTurn, repTurns } from './metrics.js';

type Side = 'good' | 'neutral' | 'bad';

const expectedClose = (sale: SaleType): Metrics['finalCloseType'] =>
  sale === 'simple' ? 'order' : 'next_step';
const closeFits = (m: Metrics, sale: SaleType | undefined): boolean =>
  sale === undefined || m.finalCloseType === expectedClose(sale);

/** The discovery half of the conversation: did the rep find out before presenting? */
function discoverySide(m: Metrics): Side {
  if (m.discoveryQuestions <= 1) return 'bad';
  if (m.discoveryQuestions === 2) return m.pitchedBeforeDiscovery ? 'bad' : 'neutral';
  return m.pitchedBeforeDiscovery ? 'neutral' : 'good';
}

/** The closing half: one clear, earned question of the right kind (seed 003), neither soft seller nor pitbull. */
function closeSide(m: Metrics, sale: SaleType | undefined): Side {
  if (m.closeAttempts === 0) return 'bad';
  if (m.closeAttempts >= 3 || m.buyerFlatNo) return 'bad';
  const fits = closeFits(m, sale);
  if (!m.recapBeforeClose && (m.addedArgumentAfterClose || !fits)) return 'bad';
  if (m.recapBeforeClose && !m.addedArgumentAfterClose && fits) return 'good';
  return 'neutral';
}

/** Answers used below this share, with at least `UNUSED_MIN_ANSWERS` answers, is a checklist run. */
const USED_SHARE = 0.4;
const UNUSED_MIN_ANSWERS = 3;

/**
 * What the rep did with what the buyer said: the heart of the verdict (seed 002). Good is building on the buyer's
 * words in your own (follow-ups, a real recap) and using the answers; bad is pasting the buyer's lines back, or
 * asking and asking without ever using an answer.
 */
export function listeningSide(l: Listening, m: Metrics, drill = false): Side {
  // A close drill starts at the close: the listening that shows is a recap of the summary in the rep's words.
  if (drill) return l.parrots > 0 ? 'bad' : l.recaps > 0 ? 'good' : 'neutral';
  const usedShare = l.answers === 0 ? 1 : l.used / l.answers;
  const unused = l.answers >= UNUSED_MIN_ANSWERS && usedShare < USED_SHARE;
  if (l.parrots >= 2 || (l.parrots >= 1 && l.followUps === 0)) return 'bad';
  if (unused && l.followUps < 2) return 'bad';
  if (l.followUps === 0 && l.recaps === 0 && (l.answers >= 2 || m.discoveryQuestions >= 3)) return 'bad';
  if ((l.followUps >= 2 || (l.followUps >= 1 && l.recaps >= 1)) && l.parrots <= 1 && !unused) return 'good';
  return 'neutral';
}

/**
 * The verdict. Discovery and the close are read from the metrics; what decides is the listening. Connected needs
 * the rep to have listened (and both halves right, or a few questions well used and a clean close); a rep who did
 * not listen ran the script however many questions they asked; everything in between is mixed. A close whose only
 * flaw is a missing recap does not undo a well-discovered conversation.
 */
export function verdictFromMetrics(
  m: Metrics,
  sale: SaleType | undefined,
  listening: Side,
  drill = false,
  /** Rep turns that pasted the buyer's lines back: a parrot's tidy close is still the script. */
  parrots = 0,
  /** The close came on the back of a pitch or an empty "recap" (Listening.pitchedClose). */
  pitchedClose = false,
): Verdict {
  // In a close drill the discovery happened before the first turn: what shows of it is the recap.
  const d = drill ? (m.recapBeforeClose ? 'good' : 'neutral') : discoverySide(m);
  // A close on the back of a presentation is not a good close, however tidy its question.
  const side = closeSide(m, sale);
  const c = pitchedClose && side === 'good' ? 'neutral' : side;
  if (listening === 'bad') return c === 'good' && parrots < 2 ? 'mixed' : 'script';
  let verdict: Verdict = 'mixed';
  if (d === 'good' && c === 'good') verdict = 'connected';
  else if (
    d === 'good' &&
    c === 'neutral' &&
    !m.addedArgumentAfterClose &&
    closeFits(m, sale) &&
    !pitchedClose
  )
    verdict = 'connected';
  else if (c === 'bad' && d !== 'good') verdict = 'script';
  else if (d === 'bad' && c === 'neutral') verdict = 'script';
  // A deep listener needs few questions: two well used, and a clean close, is connection.
  if (listening === 'good' && d === 'neutral' && c === 'good' && !m.pitchedBeforeDiscovery)
    verdict = 'connected';
  if (listening === 'neutral' && verdict === 'connected') return 'mixed';
  return verdict;
}

type Gap =
  | 'discovery'
  | 'listening'
  | 'pushed'
  | 'ignoredNo'
  | 'closeNone'
  | 'added'
  | 'recap'
  | 'complex'
  | 'simple'
  | 'parrot'
  | 'keep';

/** The offline coach's words, per language. Kept short: the card shows them next to verbatim quotes. */
type OfflineMessages = {
  verdict: Record<Verdict, string>;
  offline: string;
  closeType: Record<Metrics['finalCloseType'], string>;
  stats: (dq: number, closes: number, type: string) => string;
  discovery: {
    none: string;
    pitched: string;
    few: (n: number) => string;
    good: (n: number) => string;
    /** A close drill: the discovery happened before it; what shows is whether the recap took it up. */
    drill: (recapped: boolean) => string;
  };
  listening: {
    reflected: (n: number) => string;
    none: string;
    monologue: (w: number) => string;
    share: (p: number) => string;
    /** Turns that build on something specific the buyer said, in the rep's own words. */
    followedUp: (n: number) => string;
    /** Turns that paste the buyer's lines back. */
    parrot: (n: number) => string;
    /** Answers to discovery questions that a later turn used. */
    unused: (used: number, answers: number) => string;
  };
  handlingNo: {
    flat: string;
    pushed: (n: number) => string;
    explored: string;
    ignored: string;
    none: string;
  };
  close: {
    none: string;
    pitbull: (n: number) => string;
    /** One or two closes answered with a flat no: asked before it was earned. */
    unearned: string;
    recap: string;
    noRecap: string;
    added: string;
    complexOrder: string;
    simpleNext: string;
    clean: string;
  };
  tips: Record<Gap, string>;
  /** The ignoredNo tip with the buyer's own hedge in it. */
  hedgeTip: (hedge: string) => string;
  /** The discovery tip when the rep already asked how they decide: the first step of their buying process not asked about. */
  discoveryTips: Record<DiscoveryStep | 'deeper', string>;
};

/** The buying process in the order the seed walks it (001): where they are, what they tried, who decides, why change, money. */
const DISCOVERY_STEPS = ['decision_group', 'current_state', 'workaround', 'status_quo', 'budget'] as const;
type DiscoveryStep = Exclude<(typeof DISCOVERY_STEPS)[number], 'decision_group'>;

/** The discovery tip for what this rep did not ask about yet. */
function discoveryTip(reps: readonly RepTurn[], msg: OfflineMessages): string {
  const asked = new Set(reps.flatMap((r) => r.rep.discoveryTopics));
  const missing = DISCOVERY_STEPS.find((step) => !asked.has(step));
  if (missing === 'decision_group') return msg.tips.discovery;
  return missing ? msg.discoveryTips[missing] : msg.discoveryTips.deeper;
}

const MESSAGES: Record<Language, OfflineMessages> = {
  en: {
    verdict: {
      connected: 'Verdict: connected. You worked with the buyer, not through a script.',
      script: 'Verdict: script. You ran the script rather than connecting with this buyer.',
      mixed: 'Verdict: mixed. There were moments of real connection and moments of running the script.',
    },
    offline:
      'This is the offline coach: it judges from the deterministic metrics only, without a language model.',
    closeType: { order: 'the order', next_step: 'a next step', none: 'none' },
    stats: (dq, closes, type) =>
      `${dq} discovery question${dq === 1 ? '' : 's'}, ${closes} closing attempt${closes === 1 ? '' : 's'}, last close: ${type}.`,
    discovery: {
      none: "You asked no questions about the buyer's situation.",
      pitched: "You presented before asking a single question about the buyer's situation.",
      few: (n) =>
        `Only ${n} question${n === 1 ? '' : 's'} about the buyer's situation, process, people or budget.`,
      good: (n) => `${n} questions about the buyer's situation, process, people or budget.`,
      drill: (r) =>
        r
          ? 'The discovery happened before this drill, and your recap took up what counts for this buyer.'
          : 'The discovery happened before this drill, but your close did not take up what the buyer had told you.',
    },
    listening: {
      reflected: (n) => `You used the buyer's own words back in ${n} of your turns.`,
      none: "You rarely used the buyer's own words back.",
      monologue: (w) => `Your longest turn ran to ${w} words: a monologue the buyer has to sit through.`,
      share: (p) => `You did ${p}% of the talking.`,
      followedUp: (n) =>
        `In ${n} of your turns you built on something specific the buyer had just said, in your own words.`,
      parrot: (n) =>
        `In ${n} of your turns you gave the buyer's words back and went on to your next question: that is parroting, not listening, and it earns nothing.`,
      unused: (u, a) => `Of the ${a} things the buyer told you, you used ${u} later in the conversation.`,
    },
    handlingNo: {
      flat: 'The buyer gave you a flat no. That is what a pitch without connection earns.',
      pushed: (n) => `You asked for a commitment ${n} times; asking again does not turn a no into a yes.`,
      explored: 'When the buyer hedged, you explored it instead of arguing.',
      ignored:
        'The buyer gave you a disguised no, and you moved on instead of asking what makes the decision hard for them.',
      none: 'The buyer never turned you down.',
    },
    close: {
      none: 'You never asked for a commitment, so the conversation ended open.',
      pitbull: (n) => `${n} closing attempts: the pitbull pattern.`,
      unearned: 'You asked before you had earned it, and the buyer said no outright.',
      recap: 'You summed up what matters to the buyer before you asked.',
      noRecap: 'You asked without first summing up what matters to the buyer.',
      added: 'You added a new argument after your closing question instead of staying silent.',
      complexOrder: 'In a complex sale, close on a next step (a demo, a trial, a meeting), not the order.',
      simpleNext: 'In a simple sale, ask for the order.',
      clean: 'One clear question, then silence.',
    },
    tips: {
      discovery: 'Ask one question about how they decide before you present anything.',
      listening: 'Before your next question, repeat one thing the buyer said, in their own words.',
      pushed: 'When the buyer says no, ask what makes this decision hard for them instead of asking again.',
      ignoredNo: "When you hear 'we need to think about it', ask what they would need to think about.",
      closeNone: 'End with one clear question, such as booking the date or the next meeting.',
      added: 'After your closing question, stop typing.',
      recap: "Before you ask, sum up in the buyer's own words what matters to them.",
      complex:
        'In a complex sale, ask for a concrete next step: a demo, a trial or a meeting with whoever decides.',
      simple: "In a simple sale, ask for the order: 'Shall I arrange that for you?'",
      keep: 'Keep this up, and try the same on a harder scenario.',
      parrot:
        "Instead of repeating the buyer's sentence, say in your own words what it means for them, and ask about that.",
    },
    discoveryTips: {
      current_state: 'Ask how they handle it today before you present anything.',
      workaround: 'Ask what they have already tried themselves to fix it.',
      status_quo: 'Ask what happens if they change nothing: the status quo is your real competitor.',
      budget: 'Ask how a decision like this gets budgeted before you propose anything.',
      deeper: "Follow up one of their answers with 'what does that mean for you?' before you move on.",
    },
    hedgeTip: (q) =>
      `When you hear "${q}", ask what they would need in order to decide, instead of moving on.`,
  },
  sv: {
    verdict: {
      connected: 'Bedömning: kontakt. Du arbetade med köparen, inte efter ett manus.',
      script: 'Bedömning: manus. Du körde ditt manus i stället för att få kontakt med köparen.',
      mixed: 'Bedömning: blandat. Det fanns stunder av verklig kontakt och stunder där du körde manus.',
    },
    offline: 'Det här är offlinecoachen: bedömningen bygger enbart på mätvärdena, utan språkmodell.',
    closeType: { order: 'ordern', next_step: 'ett nästa steg', none: 'inget' },
    stats: (dq, closes, type) =>
      `${dq} behovsfråg${dq === 1 ? 'a' : 'or'}, ${closes} avslutsförsök, sista avslutet: ${type}.`,
    discovery: {
      none: 'Du ställde inga frågor om köparens situation.',
      pitched: 'Du presenterade innan du hade ställt en enda fråga om köparens situation.',
      few: (n) =>
        `Bara ${n} fråg${n === 1 ? 'a' : 'or'} om köparens situation, process, personer eller budget.`,
      good: (n) => `${n} frågor om köparens situation, process, personer eller budget.`,
      drill: (r) =>
        r
          ? 'Behovsanalysen gjordes före den här övningen, och din sammanfattning tog upp det som räknas för köparen.'
          : 'Behovsanalysen gjordes före den här övningen, men ditt avslut tog inte upp det köparen hade berättat.',
    },
    listening: {
      reflected: (n) => `Du använde köparens egna ord i ${n} av dina repliker.`,
      none: 'Du tog sällan tillbaka köparens egna ord.',
      monologue: (w) => `Din längsta replik var ${w} ord lång: en monolog som köparen får sitta igenom.`,
      share: (p) => `Du stod för ${p} % av pratet.`,
      followedUp: (n) =>
        `I ${n} av dina repliker byggde du vidare på något konkret som köparen just hade sagt, med egna ord.`,
      parrot: (n) =>
        `I ${n} av dina repliker upprepade du köparens ord och gick vidare till nästa fråga: det är papegojande, inte lyssnande, och ger ingenting.`,
      unused: (u, a) => `Av de ${a} saker köparen berättade använde du ${u} senare i samtalet.`,
    },
    handlingNo: {
      flat: 'Köparen sa blankt nej. Det är vad en presentation utan kontakt får.',
      pushed: (n) => `Du bad om ett beslut ${n} gånger; att fråga igen gör inte ett nej till ett ja.`,
      explored: 'När köparen tvekade utforskade du det i stället för att argumentera.',
      ignored:
        'Köparen gav ett förtäckt nej, och du gick vidare i stället för att fråga vad som gör beslutet svårt.',
      none: 'Köparen sa aldrig nej till dig.',
    },
    close: {
      none: 'Du bad aldrig om ett åtagande, så samtalet slutade öppet.',
      pitbull: (n) => `${n} avslutsförsök: pitbullmönstret.`,
      unearned: 'Du frågade innan du hade förtjänat det, och köparen sa rakt nej.',
      recap: 'Du sammanfattade det som är viktigt för köparen innan du frågade.',
      noRecap: 'Du frågade utan att först sammanfatta det som är viktigt för köparen.',
      added: 'Du lade till ett nytt argument efter avslutsfrågan i stället för att vara tyst.',
      complexOrder:
        'I en komplex affär avslutar man på ett nästa steg (demo, test eller möte), inte på ordern.',
      simpleNext: 'I en enkel affär ber man om ordern.',
      clean: 'En tydlig fråga, sedan tystnad.',
    },
    tips: {
      discovery: 'Ställ en fråga om hur de fattar beslut innan du presenterar något.',
      listening: 'Upprepa något köparen har sagt, med köparens egna ord, innan du ställer nästa fråga.',
      pushed: 'När köparen säger nej: fråga vad som gör beslutet svårt i stället för att fråga igen.',
      ignoredNo: 'När du hör ”vi måste fundera på det”, fråga vad de behöver fundera över.',
      closeNone: 'Avsluta med en tydlig fråga, till exempel om att boka datumet eller nästa möte.',
      added: 'Efter din avslutsfråga: sluta skriva.',
      recap: 'Innan du frågar: sammanfatta med köparens egna ord vad som är viktigt för dem.',
      complex:
        'I en komplex affär: be om ett konkret nästa steg, en demo, ett test eller ett möte med den som bestämmer.',
      simple: 'I en enkel affär: be om ordern. ”Ska jag ordna det åt dig?”',
      keep: 'Fortsätt så, och prova samma sak på ett svårare scenario.',
      parrot:
        'I stället för att upprepa köparens mening: säg med egna ord vad den betyder för dem, och fråga om det.',
    },
    discoveryTips: {
      current_state: 'Fråga hur de löser det i dag innan du presenterar något.',
      workaround: 'Fråga vad de redan har provat själva för att lösa det.',
      status_quo: 'Fråga vad som händer om de inte ändrar något: status quo är din verkliga konkurrent.',
      budget: 'Fråga hur ett sådant beslut budgeteras innan du föreslår något.',
      deeper: 'Följ upp ett av svaren med ”vad betyder det för er?” innan du går vidare.',
    },
    hedgeTip: (q) =>
      `När du hör ”${q}”, fråga vad de skulle behöva för att kunna bestämma sig, i stället för att gå vidare.`,
  },
  da: {
    verdict: {
      connected: 'Vurdering: forbindelse. Du arbejdede med kunden, ikke efter et manuskript.',
      script: 'Vurdering: manuskript. Du kørte dit manuskript i stedet for at få forbindelse med kunden.',
      mixed:
        'Vurdering: blandet. Der var øjeblikke med ægte forbindelse og øjeblikke, hvor du kørte manuskriptet.',
    },
    offline: 'Dette er offline-coachen: vurderingen bygger kun på målingerne, uden sprogmodel.',
    closeType: { order: 'ordren', next_step: 'et næste skridt', none: 'ingen' },
    stats: (dq, closes, type) =>
      `${dq} afdækkende spørgsmål, ${closes} lukkeforsøg, sidste lukning: ${type}.`,
    discovery: {
      none: 'Du stillede ingen spørgsmål om kundens situation.',
      pitched: 'Du præsenterede, før du havde stillet et eneste spørgsmål om kundens situation.',
      few: (n) => `Kun ${n} spørgsmål om kundens situation, proces, personer eller budget.`,
      good: (n) => `${n} spørgsmål om kundens situation, proces, personer eller budget.`,
      drill: (r) =>
        r
          ? 'Behovsafdækningen skete før denne øvelse, og din opsummering tog det op, der tæller for kunden.'
          : 'Behovsafdækningen skete før denne øvelse, men din afslutning tog ikke det op, kunden havde fortalt.',
    },
    listening: {
      reflected: (n) => `Du brugte kundens egne ord i ${n} af dine replikker.`,
      none: 'Du brugte sjældent kundens egne ord.',
      monologue: (w) => `Din længste replik var på ${w} ord: en monolog, kunden skal sidde igennem.`,
      share: (p) => `Du stod for ${p} % af snakken.`,
      followedUp: (n) =>
        `I ${n} af dine replikker byggede du videre på noget konkret, kunden lige havde sagt, med dine egne ord.`,
      parrot: (n) =>
        `I ${n} af dine replikker gentog du kundens ord og gik videre til dit næste spørgsmål: det er papegøjesnak, ikke lytning, og det giver intet.`,
      unused: (u, a) => `Af de ${a} ting, kunden fortalte dig, brugte du ${u} senere i samtalen.`,
    },
    handlingNo: {
      flat: 'Kunden sagde et fladt nej. Det er, hvad en præsentation uden forbindelse får.',
      pushed: (n) => `Du bad om en beslutning ${n} gange; at spørge igen gør ikke et nej til et ja.`,
      explored: 'Da kunden tøvede, undersøgte du det i stedet for at argumentere.',
      ignored:
        'Kunden gav et forklædt nej, og du gik videre i stedet for at spørge, hvad der gør beslutningen svær.',
      none: 'Kunden sagde aldrig nej til dig.',
    },
    close: {
      none: 'Du bad aldrig om en beslutning, så samtalen endte åben.',
      pitbull: (n) => `${n} lukkeforsøg: pitbull-mønstret.`,
      unearned: 'Du spurgte, før du havde gjort dig fortjent til det, og kunden sagde direkte nej.',
      recap: 'Du samlede op på det, der betyder noget for kunden, før du spurgte.',
      noRecap: 'Du spurgte uden først at samle op på det, der betyder noget for kunden.',
      added: 'Du tilføjede et nyt argument efter dit lukkespørgsmål i stedet for at tie stille.',
      complexOrder:
        'I et komplekst salg lukker man på et næste skridt (demo, test eller møde), ikke på ordren.',
      simpleNext: 'I et enkelt salg beder man om ordren.',
      clean: 'Ét klart spørgsmål, og så stilhed.',
    },
    tips: {
      discovery: 'Stil ét spørgsmål om, hvordan de beslutter, før du præsenterer noget.',
      listening: 'Gentag én ting, kunden har sagt, med kundens egne ord, før du stiller dit næste spørgsmål.',
      pushed: 'Når kunden siger nej, så spørg, hvad der gør beslutningen svær, i stedet for at spørge igen.',
      ignoredNo: 'Når du hører ”vi skal lige tænke over det”, så spørg, hvad de skal tænke over.',
      closeNone: 'Slut med ét klart spørgsmål, for eksempel om at booke datoen eller næste møde.',
      added: 'Efter dit lukkespørgsmål: stop med at skrive.',
      recap: 'Før du spørger: saml op med kundens egne ord på, hvad der betyder noget for dem.',
      complex:
        'I et komplekst salg: bed om et konkret næste skridt, en demo, en test eller et møde med den, der beslutter.',
      simple: 'I et enkelt salg: bed om ordren. ”Skal jeg sætte det op for dig?”',
      keep: 'Bliv ved sådan, og prøv det samme på et sværere scenarie.',
      parrot:
        'I stedet for at gentage kundens sætning: sig med dine egne ord, hvad den betyder for dem, og spørg ind til det.',
    },
    discoveryTips: {
      current_state: 'Spørg, hvordan de klarer det i dag, før du præsenterer noget.',
      workaround: 'Spørg, hvad de selv har prøvet for at løse det.',
      status_quo: 'Spørg, hvad der sker, hvis de ikke ændrer noget: status quo er din egentlige konkurrent.',
      budget: 'Spørg, hvordan sådan en beslutning bliver budgetteret, før du foreslår noget.',
      deeper: 'Følg op på et af svarene med ”hvad betyder det for jer?”, før du går videre.',
    },
    hedgeTip: (q) =>
      `Når du hører ”${q}”, så spørg, hvad de har brug for for at kunne beslutte sig, i stedet for at gå videre.`,
  },
  nl: {
    verdict: {
      connected: 'Oordeel: contact. Je werkte mét de klant, niet volgens een script.',
      script: 'Oordeel: script. Je draaide je script af in plaats van contact te maken met de klant.',
      mixed:
        'Oordeel: gemengd. Er waren momenten van echt contact en momenten waarop je je script afdraaide.',
    },
    offline: 'Dit is de offline coach: het oordeel is alleen gebaseerd op de meetwaarden, zonder taalmodel.',
    closeType: { order: 'de order', next_step: 'een volgende stap', none: 'geen' },
    stats: (dq, closes, type) =>
      `${dq} ${dq === 1 ? 'vraag' : 'vragen'} naar de situatie, ${closes} ${closes === 1 ? 'afsluitpoging' : 'afsluitpogingen'}, laatste afsluiting: ${type}.`,
    discovery: {
      none: 'Je stelde geen vragen over de situatie van de klant.',
      pitched: 'Je presenteerde al voordat je één vraag over de situatie van de klant had gesteld.',
      few: (n) =>
        `Maar ${n} ${n === 1 ? 'vraag' : 'vragen'} over de situatie, het proces, de mensen of het budget van de klant.`,
      good: (n) => `${n} vragen over de situatie, het proces, de mensen of het budget van de klant.`,
      drill: (r) =>
        r
          ? 'De behoefteanalyse was al gedaan voor deze oefening, en je samenvatting nam op wat voor deze klant telt.'
          : 'De behoefteanalyse was al gedaan voor deze oefening, maar je afsluiting nam niet op wat de klant had verteld.',
    },
    listening: {
      reflected: (n) => `Je gebruikte de eigen woorden van de klant in ${n} van je beurten.`,
      none: 'Je gaf de eigen woorden van de klant zelden terug.',
      monologue: (w) =>
        `Je langste beurt telde ${w} woorden: een monoloog waar de klant doorheen moet zitten.`,
      share: (p) => `Jij deed ${p}% van het praten.`,
      followedUp: (n) =>
        `In ${n} van je beurten bouwde je in je eigen woorden voort op iets concreets dat de klant net had gezegd.`,
      parrot: (n) =>
        `In ${n} van je beurten herhaalde je de woorden van de klant en ging je door naar je volgende vraag: dat is napraten, geen luisteren, en het levert niets op.`,
      unused: (u, a) =>
        `Van de ${a} dingen die de klant je vertelde, gebruikte je er ${u} later in het gesprek.`,
    },
    handlingNo: {
      flat: 'De klant zei botweg nee. Dat is wat een verhaal zonder contact oplevert.',
      pushed: (n) => `Je vroeg ${n} keer om een toezegging; nog een keer vragen maakt van een nee geen ja.`,
      explored: 'Toen de klant twijfelde, ging je daarop in in plaats van te argumenteren.',
      ignored:
        'De klant gaf een verkapt nee en je ging door in plaats van te vragen wat de beslissing lastig maakt.',
      none: 'De klant zei nergens nee tegen je.',
    },
    close: {
      none: 'Je vroeg nergens om een toezegging, dus het gesprek eindigde open.',
      pitbull: (n) => `${n} afsluitpogingen: het pitbullpatroon.`,
      unearned: 'Je vroeg het voordat je het had verdiend, en de klant zei ronduit nee.',
      recap: 'Je zette eerst op een rij wat voor de klant telt en vroeg daarna.',
      noRecap: 'Je vroeg zonder eerst op een rij te zetten wat voor de klant telt.',
      added: 'Je voegde na je afsluitvraag nog een argument toe in plaats van te zwijgen.',
      complexOrder:
        'In een complexe verkoop sluit je af op een volgende stap (demo, proef of afspraak), niet op de order.',
      simpleNext: 'In een eenvoudige verkoop vraag je om de order.',
      clean: 'Eén duidelijke vraag, en dan stilte.',
    },
    tips: {
      discovery: 'Stel één vraag over hoe ze beslissen voordat je iets presenteert.',
      listening:
        'Herhaal één ding dat de klant zei, in de woorden van de klant, voordat je je volgende vraag stelt.',
      pushed:
        'Als de klant nee zegt, vraag dan wat deze beslissing lastig maakt in plaats van het nog eens te vragen.',
      ignoredNo: "Als je hoort 'we moeten erover nadenken', vraag dan waarover ze nog moeten nadenken.",
      closeNone:
        'Sluit af met één duidelijke vraag, bijvoorbeeld om de datum of de volgende afspraak vast te leggen.',
      added: 'Na je afsluitvraag: stop met typen.',
      recap: 'Zet voordat je de vraag stelt in de woorden van de klant op een rij wat voor hen telt.',
      complex:
        'In een complexe verkoop: vraag om een concrete volgende stap, een demo, een proef of een afspraak met wie beslist.',
      simple: "In een eenvoudige verkoop: vraag om de order. 'Zal ik dat voor u regelen?'",
      keep: 'Ga zo door, en probeer hetzelfde eens op een moeilijker scenario.',
      parrot:
        'Herhaal niet de zin van de klant, maar zeg in je eigen woorden wat die voor hen betekent, en vraag daarnaar.',
    },
    discoveryTips: {
      current_state: 'Vraag hoe ze het nu oplossen voordat je iets presenteert.',
      workaround: 'Vraag wat ze zelf al hebben geprobeerd om het op te lossen.',
      status_quo: 'Vraag wat er gebeurt als ze niets veranderen: de status quo is je echte concurrent.',
      budget: "Vraag hoe zo'n beslissing wordt begroot voordat je iets voorstelt.",
      deeper: "Vraag bij een van de antwoorden door met 'wat betekent dat voor u?' voordat je verdergaat.",
    },
    hedgeTip: (q) =>
      `Als je hoort '${q}', vraag dan wat ze nodig hebben om te kunnen beslissen, in plaats van door te gaan.`,
  },
};

/** Longer than this, a rep turn is a monologue. */
const MONOLOGUE_WORDS = 90;
/** More than this share of the words, and the rep is doing the talking. */
const TALK_SHARE = 0.65;

const clamp = (n: number): number => Math.max(1, Math.min(5, Math.round(n)));
const ev = (turn: number, quote: string | undefined): Evidence[] => (quote ? [{ turn, quote }] : []);

type BuyerTurn = Extract<AnalyzedTurn, { role: 'buyer' }>;

/** The sentence of a buyer turn that says no, for a quote. */
function refusalSentence(t: BuyerTurn, language: Language): string {
  const lex = LEXICONS[language];
  const sentences = splitSentences(t.text);
  if (t.flatNoCounts) return sentences[0]?.text ?? t.text;
  return (
    sentences.find((s) => anyMatch(lex.disguisedNo, normalize(s.text)))?.text ?? sentences[0]?.text ?? t.text
  );
}

type Scored = { dimension: Dimension; gap: Gap };

/** The discovery question to quote: one that follows up on the buyer, else one about their buying process. */
function bestQuestion(reps: readonly RepTurn[]): { index: number; text: string } | null {
  const asked = reps.flatMap((r) => r.rep.sentences.filter((s) => s.discovery).map((s) => ({ r, s })));
  const pick =
    asked.find(({ s }) => s.specific.length > 0 && !s.copied) ??
    asked.find(({ s }) => s.topics.length > 0) ??
    asked[0];
  return pick ? { index: pick.r.index, text: pick.s.text } : null;
}

function scoreDrillDiscovery(reps: readonly RepTurn[], msg: OfflineMessages): Scored {
  const recap = reps.find((r) => r.rep.recap);
  const evidence = recap
    ? ev(recap.index, recap.rep.sentences.find((s) => s.specific.length > 0 && !s.copied)?.text)
    : [];
  return {
    dimension: {
      id: 'discovery',
      score: recap ? 5 : 3,
      comment: msg.discovery.drill(recap !== undefined),
      evidence,
    },
    gap: 'recap',
  };
}

function scoreDiscovery(m: Metrics, reps: readonly RepTurn[], msg: OfflineMessages): Scored {
  const dq = m.discoveryQuestions;
  const base = dq >= 5 ? 5 : dq >= 4 ? 4 : dq >= 3 ? 3 : dq >= 2 ? 2 : 1;
  const score = clamp(base - (m.pitchedBeforeDiscovery ? 1 : 0));
  const main = dq === 0 ? msg.discovery.none : dq >= 4 ? msg.discovery.good(dq) : msg.discovery.few(dq);
  const comment = m.pitchedBeforeDiscovery ? `${msg.discovery.pitched} ${main}` : main;
  const evidence: Evidence[] = [];
  if (m.pitchedBeforeDiscovery) {
    const t = reps.find((r) => r.rep.pitch);
    if (t) evidence.push(...ev(t.index, t.rep.sentences.find((s) => s.pitch)?.text));
  }
  const question = bestQuestion(reps);
  if (question) evidence.push(...ev(question.index, question.text));
  return { dimension: { id: 'discovery', score, comment, evidence }, gap: 'discovery' };
}

function scoreListening(
  m: Metrics,
  turns: readonly AnalyzedTurn[],
  l: Listening,
  msg: OfflineMessages,
): Scored {
  const reps = repTurns(turns);
  const monologue =
    m.longestRepTurnWords > MONOLOGUE_WORDS &&
    !reps.some((r) => r.rep.words === m.longestRepTurnWords && r.rep.recap);
  const talky = m.repWordShare > TALK_SHARE;
  const unused = l.answers >= UNUSED_MIN_ANSWERS && l.used / l.answers < USED_SHARE;
  const score = clamp(
    1 +
      Math.min(2, l.followUps) +
      (l.recaps > 0 ? 1 : 0) +
      (monologue || talky ? 0 : 1) -
      (l.parrots > 0 ? 1 : 0) -
      (unused ? 1 : 0),
  );
  const parts = [l.followUps > 0 ? msg.listening.followedUp(l.followUps) : msg.listening.none];
  if (l.parrots > 0) parts.push(msg.listening.parrot(l.parrots));
  if (l.answers >= 2) parts.push(msg.listening.unused(l.used, l.answers));
  if (monologue) parts.push(msg.listening.monologue(m.longestRepTurnWords));
  if (talky) parts.push(msg.listening.share(Math.round(m.repWordShare * 100)));
  const evidence: Evidence[] = [];
  const follow = reps.find((r) => r.rep.followUp !== null);
  if (follow) evidence.push(...ev(follow.index, follow.rep.followUp?.text));
  const parrot = reps.find((r) => r.rep.parrot);
  if (parrot)
    evidence.push(
      ...ev(
        parrot.index,
        (parrot.rep.sentences.find((s) => s.copied) ?? parrot.rep.sentences.find((s) => s.mirror))?.text,
      ),
    );
  if (monologue) {
    const long = reps.find((r) => r.rep.words === m.longestRepTurnWords);
    if (long)
      evidence.push(
        ...ev(long.index, long.rep.sentences.find((s) => s.pitch)?.text ?? long.rep.sentences[0]?.text),
      );
  }
  return {
    dimension: { id: 'listening', score, comment: parts.join(' '), evidence: evidence.slice(0, 2) },
    gap: l.parrots > 0 ? 'parrot' : 'listening',
  };
}

function scoreHandlingNo(
  m: Metrics,
  turns: readonly AnalyzedTurn[],
  language: Language,
  msg: OfflineMessages,
): Scored {
  const buyers = turns.filter((t): t is BuyerTurn => t.role === 'buyer');
  const flat = buyers.find((t) => t.flatNoCounts);
  if (flat) {
    return {
      dimension: {
        id: 'handling_no',
        score: 1,
        comment: msg.handlingNo.flat,
        evidence: ev(flat.index, refusalSentence(flat, language)),
      },
      gap: 'pushed',
    };
  }
  if (m.closeAttempts >= 3) {
    return {
      dimension: {
        id: 'handling_no',
        score: 2,
        comment: msg.handlingNo.pushed(m.closeAttempts),
        evidence: [],
      },
      gap: 'pushed',
    };
  }
  const hedge = buyers.find((t) => t.buyer.disguisedNo);
  if (!hedge)
    return {
      dimension: { id: 'handling_no', score: 4, comment: msg.handlingNo.none, evidence: [] },
      gap: 'keep',
    };
  const next = turns.slice(hedge.index + 1).find((t): t is RepTurn => t.role === 'rep');
  const explored =
    next !== undefined && next.rep.discoveryQuestions > 0 && next.rep.close === null && !next.rep.pressure;
  const laterYes = buyers.some((t) => t.index > hedge.index && t.buyer.agrees);
  const evidence = ev(hedge.index, refusalSentence(hedge, language));
  if (explored) {
    evidence.push(...ev(next.index, next.rep.sentences.find((s) => s.discovery)?.text));
    return {
      dimension: { id: 'handling_no', score: laterYes ? 5 : 4, comment: msg.handlingNo.explored, evidence },
      // They asked what lies behind the hedge: nothing to tell them about it.
      gap: 'keep',
    };
  }
  if (next) {
    const said = next.rep.sentences.find((s) => words(s.text).length >= 4) ?? next.rep.sentences[0];
    evidence.push(...ev(next.index, said?.text));
  }
  return {
    dimension: { id: 'handling_no', score: 2, comment: msg.handlingNo.ignored, evidence },
    gap: 'ignoredNo',
  };
}

function scoreClose(
  m: Metrics,
  reps: readonly RepTurn[],
  sale: SaleType | undefined,
  msg: OfflineMessages,
): Scored {
  const closes = reps.filter((r) => r.rep.close !== null);
  const last = closes[closes.length - 1];
  if (!last)
    return { dimension: { id: 'close', score: 1, comment: msg.close.none, evidence: [] }, gap: 'closeNone' };
  const evidence = ev(last.index, last.rep.sentences[last.rep.lastClose]?.text);
  const added = closes.find((r) => r.rep.addedArgumentAfterClose);
  if (added) evidence.push(...ev(added.index, added.rep.addedAfterClose[0]?.text));
  if (m.closeAttempts >= 3 || m.buyerFlatNo) {
    return {
      dimension: {
        id: 'close',
        score: 1,
        comment: m.closeAttempts >= 3 ? msg.close.pitbull(m.closeAttempts) : msg.close.unearned,
        evidence: evidence.slice(0, 2),
      },
      gap: 'pushed',
    };
  }
  const fits = closeFits(m, sale);
  // Talking past your own closing question undoes the close (seed 003), so it costs the most.
  const score = clamp(
    3 + (m.recapBeforeClose ? 1 : 0) + (fits ? 1 : 0) - (m.addedArgumentAfterClose ? 2 : 0),
  );
  const parts = [m.recapBeforeClose ? msg.close.recap : msg.close.noRecap];
  if (m.addedArgumentAfterClose) parts.push(msg.close.added);
  if (!fits) parts.push(sale === 'complex' ? msg.close.complexOrder : msg.close.simpleNext);
  if (score === 5) parts.push(msg.close.clean);
  const gap: Gap = m.addedArgumentAfterClose
    ? 'added'
    : !m.recapBeforeClose
      ? 'recap'
      : !fits
        ? sale === 'complex'
          ? 'complex'
          : 'simple'
        : 'keep';
  return { dimension: { id: 'close', score, comment: parts.join(' '), evidence: evidence.slice(0, 2) }, gap };
}

/**
 * The sentence with which the offline coach's summary says what it is, in every language: a surface that labels
 * the offline coach itself (the feedback card) drops it, so the rep reads the notice once.
 */
export const OFFLINE_SUMMARY_NOTES: readonly string[] = Object.values(MESSAGES).map((m) => m.offline);

// On a tie, the earlier gap is the one to work on: find out first, then ask, then handle the answer.
const PRIORITY: readonly DimensionId[] = ['discovery', 'close', 'handling_no', 'listening'];

/**
 * The coach without a model: verdict from the metrics alone, dimensions scored from the metrics, evidence quoted
 * verbatim from the transcript (run through verifyDimensions), summary and nextTime in the transcript's language.
 */
export function offlineFeedback(
  transcript: Transcript,
  metrics: Metrics,
  context: CoachContext = NO_CONTEXT,
): Feedback {
  const language = toLanguage(transcript.language);
  const msg = MESSAGES[language];
  const { turns, listening } = analyzeTranscript(transcript, language, context);
  const reps = repTurns(turns);
  const sale = transcript.sale;
  const drill = context.closeSummary !== null;
  const verdict = verdictFromMetrics(
    metrics,
    sale,
    listeningSide(listening, metrics, drill),
    drill,
    listening.parrots,
    listening.pitchedClose,
  );

  const scored = [
    drill ? scoreDrillDiscovery(reps, msg) : scoreDiscovery(metrics, reps, msg),
    scoreListening(metrics, turns, listening, msg),
    scoreHandlingNo(metrics, turns, language, msg),
    scoreClose(metrics, reps, sale, msg),
  ];
  const worst = [...scored].sort(
    (a, b) =>
      a.dimension.score - b.dimension.score ||
      PRIORITY.indexOf(a.dimension.id) - PRIORITY.indexOf(b.dimension.id),
  )[0]!;
  const gap: Gap = worst.dimension.score >= 5 ? 'keep' : worst.gap;

  const stats = msg.stats(
    metrics.discoveryQuestions,
    metrics.closeAttempts,
    msg.closeType[metrics.finalCloseType],
  );
  return {
    verdict,
    mode: 'offline',
    summary: `${msg.verdict[verdict]} ${stats} ${msg.offline}`,
    metrics,
    dimensions: verifyDimensions(
      transcript.turns,
      scored.map((s) => s.dimension),
    ),
    nextTime:
      gap === 'discovery'
        ? discoveryTip(reps, msg)
        : gap === 'ignoredNo' && worst.dimension.evidence[0]
          ? msg.hedgeTip(worst.dimension.evidence[0].quote)
          : msg.tips[gap],
  };
}
