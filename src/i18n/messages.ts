import type { Outcome } from '../buyer/types.js';
import type { DimensionId, Verdict } from '../coach/feedback.js';
import type { Language, SaleType } from '../domain/language.js';
import type { Gap } from '../drills/summary.js';

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
  /** The thread's status line while the buyer is writing; Slack shows it after the app's name. */
  buyerTyping: string;
  /** The session ended before the rep wrote anything: no verdict. */
  nothingToJudge: string;
  /** A message of the session could not be posted in the thread (too long, malformed): said in the thread. */
  undeliverableInThread: string;
  /** Nothing can be posted in the thread (not in the channel, archived, gone): said in a DM. {channel} */
  undeliverableThread: string;
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
  /** The model coach failed, so this feedback is the offline coach's (shown instead of coachOffline). */
  coachFallback: string;
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
  /** Weekly team drills: what the channel sees, in the drill scenario's language. */
  drill: DrillMessages;
  // issue 12 (terminal)
  /** Terminal: the buyer could not answer; one line, with the /retry hint. {reason} */
  cliBuyerFailed: string;
  /** Terminal: /help, every command in one line. */
  cliHelp: string;
  /** Terminal: a line that looks like a command but is none; nothing was sent. {command} */
  cliUnknownCommand: string;
  /** Terminal: the nearest command to a mistyped one. {command} */
  cliDidYouMean: string;
  /** Terminal: the commands, after an unknown one with no near match. */
  cliCommandList: string;
  /** Terminal: /retry with no failed message. */
  cliNothingToRetry: string;
  /** Terminal: the store is held by another process, so this session is not saved (it still runs). */
  cliNotStored: string;
  // issue 12 (slack)
  /** A manager-only action refused; never names a setting. */
  managersOnly: string;
  /** The session's root message once the session has ended. {user} {title} */
  endedHeader: string;
  /** The link from an ended session's root message to its feedback card. */
  feedbackLink: string;
  /** An ended session's root message when there was nothing to judge. */
  endedWithoutVerdict: string;
  /** A team drill post's running tally. {started} {finished} */
  drillTally: string;
  /** Told to the rep when their drill attempt opens in their DM with Sparring. {link} */
  drillAttemptInDm: string;
  /** The text of the link to that DM thread. */
  drillDmLink: string;
  /** The confirm dialog on a drill's Stop button. */
  stopDrillConfirm: { title: string; text: string; confirm: string; deny: string };
  /** A drill post when attempts run in each rep's DM. {closes} */
  drillIntroPrivate: string;
  // issue 12 (verdict)
  /** Feedback card: the rep's question about the verdict, and what it says once answered ({user}). */
  fairPrompt: string;
  fairYesButton: string;
  fairNoButton: string;
  fairAnsweredYes: string;
  fairAnsweredNo: string;
  /** Someone other than the rep pressed 👍/👎 ({user}: the rep). */
  onlyRepFair: string;
  /** The card's ⋯ menu entry, and the refusal a non-manager gets. */
  correctVerdictMenu: string;
  managersOnlyCorrect: string;
  /** The correction modal (title and buttons at most 24 characters). {verdict}: the coach's. */
  correctionTitle: string;
  correctionSubmit: string;
  correctionCancel: string;
  correctionIntro: string;
  correctionVerdict: string;
  correctionLabelsHint: string;
  correctionNote: string;
  correctionUnset: string;
  correctionNotANumber: string;
  correctionSessionGone: string;
  labelDiscoveryQuestions: string;
  labelBuyerFlatNo: string;
  labelDisguisedNo: string;
  labelOutcome: string;
  /** Posted in the session thread once a manager corrected it: {manager}, {verdict}, {coach}. */
  correctionPosted: string;
  correctionNoteLine: string;
  /** App Home. */
  homeCorrected: string;
  homeFair: Record<'yes' | 'no', string>;
  homeOutcome: Record<Outcome, string>;
  homeOpenThread: string;
  homeAgreementTitle: string;
  homeAgreement: string;
  homeAgreementNone: string;
  homeFairness: string;
  homeCorrectButton: string;
  confirmStopTitle: string;
  confirmStopText: string;
  confirmStopYes: string;
  confirmRetireTitle: string;
  confirmRetireText: string;
  confirmRetireYes: string;
  confirmDeny: string;
};

/** A weekly team drill's posts. Not "close drill" (a kind of scenario): these are the team's weekly exercise. */
export type DrillMessages = {
  title: string;
  intro: string;
  startButton: string;
  schedule: string;
  scheduled: string;
  stopped: string;
  closed: string;
  alreadyStarted: string;
  yourThread: string;
  summaryTitle: string;
  tookPart: string;
  nobody: string;
  verdicts: string;
  verdict: Record<Verdict, string>;
  unfinished: string;
  topGap: string;
  noGap: string;
  weakest: string;
  since: string;
  participantsChange: string;
  connectedChange: string;
  gapChange: string;
  weakestChange: string;
  firstRun: string;
  gap: Record<Gap, string>;
  /** Sunday first, as in cron. */
  weekdays: readonly [string, string, string, string, string, string, string];
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
  buyerTyping: 'is typing…',
  nothingToJudge: 'Not enough to judge: you ended the session before writing to the buyer.',
  undeliverableInThread:
    'One message of this session could not be posted here (Slack refused it). The session goes on.',
  undeliverableThread:
    'Sparring could not post in your practice thread in <#{channel}> (Slack refused it: not in the channel, archived or gone). Invite Sparring to the channel, or start a new session with /spar.',
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
  coachFallback: "The model coach failed, so this is the offline coach's judgement, from the metrics alone.",
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
  drill: {
    title: 'Team drill of the week: {title}',
    intro:
      'This week everyone practises on the same buyer. Press the button to get a practice thread of your own. The results are posted here when the drill closes ({closes}).',
    startButton: 'Start my attempt',
    schedule: 'every {weekday} at {time} ({tz})',
    scheduled:
      '{user} scheduled a weekly team drill here: *{title}*, {schedule}. The first one opens {first}.',
    stopped: '{user} stopped the weekly team drill *{title}*.',
    closed:
      'This drill has closed; its results are in the channel. Type /spar {id} to practise on this buyer anyway.',
    alreadyStarted: 'You already have an attempt in this drill: {link}.',
    yourThread: 'your thread',
    summaryTitle: 'Team drill results: {title}',
    tookPart: 'Took part ({n}): {users}',
    nobody: 'Nobody took part in this drill.',
    verdicts: 'Verdicts',
    verdict: { connected: 'connected', mixed: 'mixed', script: 'ran the script' },
    unfinished: 'not finished',
    topGap: 'Most common gap: {gap} ({n} of {total})',
    noGap:
      'No common gap: every finished attempt closed, recapped first, kept quiet after the close and asked before pitching.',
    weakest: 'Weakest area: {dimension} (average {score}/5)',
    since: 'Since the last drill',
    participantsChange: 'participants: {now} (last time {before})',
    connectedChange: 'connected: {now} (last time {before})',
    gapChange: '{gap}: {now} (last time {before})',
    weakestChange: '{dimension}: {now}/5 (last time {before})',
    firstRun: 'This is the first run of this drill, so there is nothing to compare with yet.',
    gap: {
      no_close: 'no close',
      no_recap: 'no recap before the close',
      argument_after_close: 'an argument after the close',
      pitched_before_discovery: 'pitched before discovery',
    },
    weekdays: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  },
  // issue 12 (terminal)
  cliBuyerFailed: 'The buyer could not answer: {reason}. Your message is kept; type /retry to send it again.',
  cliHelp:
    'Commands: /done ends and shows the feedback · /retry sends a message the buyer could not answer again · /help shows this list · /quit leaves without feedback. Everything else you type goes to the buyer.',
  cliUnknownCommand: '{command} is not a command; nothing was sent to the buyer.',
  cliDidYouMean: 'Did you mean {command}?',
  cliCommandList: 'Commands: /done, /retry, /help, /quit.',
  cliNothingToRetry: 'Nothing to retry: the buyer has answered every message.',
  cliNotStored:
    'This session will not be saved: another Sparring process is using the store right now. The practice works as usual.',
  // issue 12 (slack)
  managersOnly: 'Only managers can do that (ask your workspace admin).',
  endedHeader: '{user} practised *{title}*',
  feedbackLink: 'See the feedback',
  endedWithoutVerdict: 'Ended without a verdict.',
  drillTally: 'Attempts: {started} started · {finished} finished',
  drillAttemptInDm:
    'Your attempt is waiting in your direct messages with Sparring: {link}. Practise there; only the results are posted here.',
  drillDmLink: 'open it',
  stopDrillConfirm: {
    title: 'Stop this drill?',
    text: 'No new weekly posts will be made. The results of its open week are posted in the channel.',
    confirm: 'Stop the drill',
    deny: 'Keep it',
  },
  drillIntroPrivate:
    'This week everyone practises on the same buyer. Press the button: your attempt opens in your direct messages with Sparring, in private. The results are posted here when the drill closes ({closes}).',
  // issue 12 (verdict)
  fairPrompt: 'Was this verdict fair?',
  fairYesButton: '👍 Fair',
  fairNoButton: '👎 Not fair',
  fairAnsweredYes: '👍 {user} found this verdict fair. You can still change your answer.',
  fairAnsweredNo:
    '👎 {user} found this verdict unfair; a manager can correct it. You can still change your answer.',
  onlyRepFair: 'Only {user} can say whether this verdict was fair: it is their practice session.',
  correctVerdictMenu: 'Correct the verdict (managers)',
  managersOnlyCorrect: 'Only managers and workspace admins can correct a verdict.',
  correctionTitle: 'Correct the verdict',
  correctionSubmit: 'Save',
  correctionCancel: 'Cancel',
  correctionIntro:
    "The coach said: *{verdict}*. Your correction is kept beside the coach's verdict, which stays as it was, and counts in the team's agreement figures.",
  correctionVerdict: 'Your verdict',
  correctionLabelsHint:
    'Optional: the label fields, for the evaluation set. Leave a field empty if you did not check it.',
  correctionNote: 'Note for the rep',
  correctionUnset: 'not checked',
  correctionNotANumber: 'A whole number, 0 or more.',
  correctionSessionGone: 'This practice session no longer exists.',
  labelDiscoveryQuestions: 'Discovery questions',
  labelBuyerFlatNo: 'The buyer said a flat no',
  labelDisguisedNo: 'The buyer gave a disguised no',
  labelOutcome: 'How it ended',
  correctionPosted: '{manager} corrected the verdict: *{verdict}* (the coach said: {coach}).',
  correctionNoteLine: 'Note: {note}',
  homeCorrected: 'corrected by {manager}: {verdict}',
  homeFair: { yes: 'rep: fair', no: 'rep: not fair' },
  homeOutcome: { yes: 'yes', next_step: 'next step', no: 'no', open: 'open' },
  homeOpenThread: 'open',
  homeAgreementTitle: 'Coach and managers this month',
  homeAgreement: 'Corrected sessions: {n}. The coach had the same verdict in {agreed} ({pct}).',
  homeAgreementNone:
    'No verdict corrected this month. Correct one from the ⋯ menu of a feedback card, or with Correct above.',
  homeFairness: 'Reps this month: 👍 fair {yes}, 👎 not fair {no}.',
  homeCorrectButton: 'Correct',
  confirmStopTitle: 'Stop this drill?',
  confirmStopText: 'The weekly drill stops for the whole channel; no new runs are posted.',
  confirmStopYes: 'Stop the drill',
  confirmRetireTitle: 'Retire this scenario?',
  confirmRetireText: 'Nobody can start it any more; sessions already on it are kept.',
  confirmRetireYes: 'Retire it',
  confirmDeny: 'Cancel',
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
  buyerTyping: 'skriver…',
  nothingToJudge: 'Inte tillräckligt att bedöma: du avslutade övningen innan du skrev något till köparen.',
  undeliverableInThread:
    'Ett meddelande i den här övningen kunde inte visas här (Slack vägrade). Övningen fortsätter.',
  undeliverableThread:
    'Sparring kunde inte skriva i din övningstråd i <#{channel}> (Slack vägrade: inte med i kanalen, arkiverad eller borttagen). Bjud in Sparring till kanalen, eller starta en ny övning med /spar.',
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
  coachFallback:
    'Modellcoachen misslyckades, så det här är offlinecoachens bedömning, enbart utifrån mätvärdena.',
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
  drill: {
    title: 'Veckans teamövning: {title}',
    intro:
      'Den här veckan övar alla på samma köpare. Tryck på knappen så får du en egen tråd att öva i. Resultatet läggs upp här när övningen stänger ({closes}).',
    startButton: 'Starta mitt försök',
    schedule: 'varje {weekday} kl. {time} ({tz})',
    scheduled:
      '{user} har lagt in en veckovis teamövning här: *{title}*, {schedule}. Den första öppnar {first}.',
    stopped: '{user} har stoppat den veckovisa teamövningen *{title}*.',
    closed:
      'Den här övningen har stängt; resultatet finns i kanalen. Skriv /spar {id} om du vill öva på köparen ändå.',
    alreadyStarted: 'Du har redan ett försök i den här övningen: {link}.',
    yourThread: 'din tråd',
    summaryTitle: 'Resultat från teamövningen: {title}',
    tookPart: 'Deltog ({n}): {users}',
    nobody: 'Ingen deltog i den här övningen.',
    verdicts: 'Bedömningar',
    verdict: { connected: 'fick kontakt', mixed: 'blandat', script: 'körde manus' },
    unfinished: 'inte avslutade',
    topGap: 'Vanligaste luckan: {gap} ({n} av {total})',
    noGap:
      'Ingen gemensam lucka: alla avslutade försök gjorde ett avslut, sammanfattade först, var tysta efter avslutsfrågan och frågade innan de presenterade.',
    weakest: 'Svagaste området: {dimension} (snitt {score}/5)',
    since: 'Jämfört med förra övningen',
    participantsChange: 'deltagare: {now} (förra gången {before})',
    connectedChange: 'fick kontakt: {now} (förra gången {before})',
    gapChange: '{gap}: {now} (förra gången {before})',
    weakestChange: '{dimension}: {now}/5 (förra gången {before})',
    firstRun: 'Det här är första gången övningen körs, så det finns inget att jämföra med än.',
    gap: {
      no_close: 'inget avslut',
      no_recap: 'ingen sammanfattning före avslutet',
      argument_after_close: 'ett argument efter avslutsfrågan',
      pitched_before_discovery: 'presenterade före behovsanalysen',
    },
    weekdays: ['söndag', 'måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag'],
  },
  // issue 12 (terminal)
  cliBuyerFailed:
    'Köparen kunde inte svara: {reason}. Ditt meddelande är sparat; skriv /retry för att skicka det igen.',
  cliHelp:
    'Kommandon: /done avslutar och visar feedback · /retry skickar ett meddelande som köparen inte kunde svara på igen · /help visar den här listan · /quit lämnar utan feedback. Allt annat du skriver går till köparen.',
  cliUnknownCommand: '{command} är inget kommando; ingenting skickades till köparen.',
  cliDidYouMean: 'Menade du {command}?',
  cliCommandList: 'Kommandon: /done, /retry, /help, /quit.',
  cliNothingToRetry: 'Det finns inget att försöka igen: köparen har svarat på alla meddelanden.',
  cliNotStored:
    'Den här övningen sparas inte: en annan Sparring-process använder lagringen just nu. Övningen fungerar som vanligt.',
  // issue 12 (slack)
  managersOnly: 'Bara chefer kan göra det (fråga administratören för er arbetsyta).',
  endedHeader: '{user} övade på *{title}*',
  feedbackLink: 'Se återkopplingen',
  endedWithoutVerdict: 'Avslutad utan bedömning.',
  drillTally: 'Försök: {started} påbörjade · {finished} avslutade',
  drillAttemptInDm:
    'Ditt försök väntar i dina direktmeddelanden med Sparring: {link}. Öva där; bara resultatet publiceras här.',
  drillDmLink: 'öppna det',
  stopDrillConfirm: {
    title: 'Stoppa övningen?',
    text: 'Inga nya veckoinlägg görs. Resultatet från den öppna veckan publiceras i kanalen.',
    confirm: 'Stoppa övningen',
    deny: 'Behåll den',
  },
  drillIntroPrivate:
    'Den här veckan övar alla på samma köpare. Tryck på knappen: ditt försök öppnas i dina direktmeddelanden med Sparring, i enrum. Resultatet läggs upp här när övningen stänger ({closes}).',
  // issue 12 (verdict)
  fairPrompt: 'Var bedömningen rättvis?',
  fairYesButton: '👍 Rättvis',
  fairNoButton: '👎 Inte rättvis',
  fairAnsweredYes: '👍 {user} tyckte att bedömningen var rättvis. Du kan fortfarande ändra ditt svar.',
  fairAnsweredNo:
    '👎 {user} tyckte att bedömningen var orättvis; en chef kan korrigera den. Du kan fortfarande ändra ditt svar.',
  onlyRepFair: 'Bara {user} kan säga om bedömningen var rättvis: det är deras övningssession.',
  correctVerdictMenu: 'Korrigera bedömningen (chefer)',
  managersOnlyCorrect: 'Bara chefer och arbetsytans administratörer kan korrigera en bedömning.',
  correctionTitle: 'Korrigera bedömningen',
  correctionSubmit: 'Spara',
  correctionCancel: 'Avbryt',
  correctionIntro:
    'Coachen sa: *{verdict}*. Din korrigering sparas bredvid coachens bedömning, som står kvar som den var, och räknas in i teamets överensstämmelse.',
  correctionVerdict: 'Din bedömning',
  correctionLabelsHint:
    'Valfritt: etikettfälten, för utvärderingsdata. Lämna ett fält tomt om du inte har kontrollerat det.',
  correctionNote: 'Kommentar till säljaren',
  correctionUnset: 'inte kontrollerat',
  correctionNotANumber: 'Ett heltal, 0 eller mer.',
  correctionSessionGone: 'Den här övningssessionen finns inte längre.',
  labelDiscoveryQuestions: 'Behovsfrågor',
  labelBuyerFlatNo: 'Köparen sa ett rakt nej',
  labelDisguisedNo: 'Köparen gav ett förtäckt nej',
  labelOutcome: 'Hur det slutade',
  correctionPosted: '{manager} korrigerade bedömningen: *{verdict}* (coachen sa: {coach}).',
  correctionNoteLine: 'Kommentar: {note}',
  homeCorrected: 'korrigerad av {manager}: {verdict}',
  homeFair: { yes: 'säljaren: rättvis', no: 'säljaren: inte rättvis' },
  homeOutcome: { yes: 'ja', next_step: 'nästa steg', no: 'nej', open: 'öppet' },
  homeOpenThread: 'öppna',
  homeAgreementTitle: 'Coachen och cheferna den här månaden',
  homeAgreement: 'Korrigerade sessioner: {n}. Coachen hade samma bedömning i {agreed} ({pct}).',
  homeAgreementNone:
    'Ingen bedömning korrigerad den här månaden. Korrigera en från ⋯-menyn på ett feedbackkort, eller med Korrigera ovan.',
  homeFairness: 'Säljarna den här månaden: 👍 rättvis {yes}, 👎 inte rättvis {no}.',
  homeCorrectButton: 'Korrigera',
  confirmStopTitle: 'Stoppa övningen?',
  confirmStopText: 'Veckoövningen stoppas för hela kanalen; inga nya omgångar publiceras.',
  confirmStopYes: 'Stoppa övningen',
  confirmRetireTitle: 'Pensionera scenariot?',
  confirmRetireText: 'Ingen kan starta det längre; sessioner som redan körts på det sparas.',
  confirmRetireYes: 'Pensionera det',
  confirmDeny: 'Avbryt',
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
  buyerTyping: 'skriver…',
  nothingToJudge: 'Ikke nok at bedømme: du afsluttede øvelsen, før du skrev noget til køberen.',
  undeliverableInThread:
    'En besked i denne øvelse kunne ikke vises her (Slack afviste den). Øvelsen fortsætter.',
  undeliverableThread:
    'Sparring kunne ikke skrive i din øvelsestråd i <#{channel}> (Slack afviste: ikke med i kanalen, arkiveret eller slettet). Inviter Sparring til kanalen, eller start en ny øvelse med /spar.',
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
  coachFallback: 'Modelcoachen fejlede, så dette er offlinecoachens vurdering, ud fra målingerne alene.',
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
  drill: {
    title: 'Ugens teamøvelse: {title}',
    intro:
      'I denne uge øver alle på den samme køber. Tryk på knappen, så får du din egen tråd at øve i. Resultatet bliver lagt op her, når øvelsen lukker ({closes}).',
    startButton: 'Start mit forsøg',
    schedule: 'hver {weekday} kl. {time} ({tz})',
    scheduled:
      '{user} har planlagt en ugentlig teamøvelse her: *{title}*, {schedule}. Den første åbner {first}.',
    stopped: '{user} har stoppet den ugentlige teamøvelse *{title}*.',
    closed:
      'Denne øvelse er lukket; resultatet står i kanalen. Skriv /spar {id}, hvis du vil øve på køberen alligevel.',
    alreadyStarted: 'Du har allerede et forsøg i denne øvelse: {link}.',
    yourThread: 'din tråd',
    summaryTitle: 'Resultat af teamøvelsen: {title}',
    tookPart: 'Deltog ({n}): {users}',
    nobody: 'Ingen deltog i denne øvelse.',
    verdicts: 'Vurderinger',
    verdict: { connected: 'fik connection', mixed: 'blandet', script: 'kørte manuskriptet' },
    unfinished: 'ikke afsluttet',
    topGap: 'Hyppigste hul: {gap} ({n} af {total})',
    noGap:
      'Intet fælles hul: alle afsluttede forsøg lukkede, opsummerede først, var stille efter lukkespørgsmålet og spurgte, før de præsenterede.',
    weakest: 'Svageste område: {dimension} (gennemsnit {score}/5)',
    since: 'Siden sidste øvelse',
    participantsChange: 'deltagere: {now} (sidst {before})',
    connectedChange: 'fik connection: {now} (sidst {before})',
    gapChange: '{gap}: {now} (sidst {before})',
    weakestChange: '{dimension}: {now}/5 (sidst {before})',
    firstRun: 'Det er første gang, øvelsen kører, så der er ikke noget at sammenligne med endnu.',
    gap: {
      no_close: 'ingen lukning',
      no_recap: 'ingen opsummering før lukningen',
      argument_after_close: 'et argument efter lukkespørgsmålet',
      pitched_before_discovery: 'præsenterede før afdækningen',
    },
    weekdays: ['søndag', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag'],
  },
  // issue 12 (terminal)
  cliBuyerFailed:
    'Køberen kunne ikke svare: {reason}. Din besked er gemt; skriv /retry for at sende den igen.',
  cliHelp:
    'Kommandoer: /done afslutter og viser feedback · /retry sender en besked, som køberen ikke kunne svare på, igen · /help viser denne liste · /quit forlader uden feedback. Alt andet, du skriver, går til køberen.',
  cliUnknownCommand: '{command} er ikke en kommando; der blev ikke sendt noget til køberen.',
  cliDidYouMean: 'Mente du {command}?',
  cliCommandList: 'Kommandoer: /done, /retry, /help, /quit.',
  cliNothingToRetry: 'Der er intet at prøve igen: køberen har svaret på alle beskeder.',
  cliNotStored:
    'Denne øvelse bliver ikke gemt: en anden Sparring-proces bruger lageret lige nu. Øvelsen fungerer som normalt.',
  // issue 12 (slack)
  managersOnly: 'Kun ledere kan gøre det (spørg administratoren for jeres arbejdsområde).',
  endedHeader: '{user} øvede *{title}*',
  feedbackLink: 'Se feedbacken',
  endedWithoutVerdict: 'Afsluttet uden vurdering.',
  drillTally: 'Forsøg: {started} startet · {finished} afsluttet',
  drillAttemptInDm:
    'Dit forsøg venter i dine direkte beskeder med Sparring: {link}. Øv dig der; kun resultaterne bliver slået op her.',
  drillDmLink: 'åbn det',
  stopDrillConfirm: {
    title: 'Stop øvelsen?',
    text: 'Der kommer ikke flere ugentlige opslag. Resultaterne fra den åbne uge bliver slået op i kanalen.',
    confirm: 'Stop øvelsen',
    deny: 'Behold den',
  },
  drillIntroPrivate:
    'I denne uge øver alle på den samme køber. Tryk på knappen: dit forsøg åbner i dine direkte beskeder med Sparring, uden tilskuere. Resultatet bliver lagt op her, når øvelsen lukker ({closes}).',
  // issue 12 (verdict)
  fairPrompt: 'Var vurderingen fair?',
  fairYesButton: '👍 Fair',
  fairNoButton: '👎 Ikke fair',
  fairAnsweredYes: '👍 {user} syntes, at vurderingen var fair. Du kan stadig ændre dit svar.',
  fairAnsweredNo:
    '👎 {user} syntes, at vurderingen var urimelig; en leder kan rette den. Du kan stadig ændre dit svar.',
  onlyRepFair: 'Kun {user} kan sige, om vurderingen var fair: det er deres træningssession.',
  correctVerdictMenu: 'Ret vurderingen (ledere)',
  managersOnlyCorrect: 'Kun ledere og arbejdsområdets administratorer kan rette en vurdering.',
  correctionTitle: 'Ret vurderingen',
  correctionSubmit: 'Gem',
  correctionCancel: 'Annuller',
  correctionIntro:
    'Coachen sagde: *{verdict}*. Din rettelse gemmes ved siden af coachens vurdering, som bliver stående, og tæller med i teamets overensstemmelse.',
  correctionVerdict: 'Din vurdering',
  correctionLabelsHint:
    'Valgfrit: label-felterne, til evalueringsdata. Lad et felt stå tomt, hvis du ikke har tjekket det.',
  correctionNote: 'Bemærkning til sælgeren',
  correctionUnset: 'ikke tjekket',
  correctionNotANumber: 'Et helt tal, 0 eller mere.',
  correctionSessionGone: 'Denne træningssession findes ikke længere.',
  labelDiscoveryQuestions: 'Afdækkende spørgsmål',
  labelBuyerFlatNo: 'Køberen sagde et kontant nej',
  labelDisguisedNo: 'Køberen gav et forklædt nej',
  labelOutcome: 'Hvordan det endte',
  correctionPosted: '{manager} rettede vurderingen: *{verdict}* (coachen sagde: {coach}).',
  correctionNoteLine: 'Bemærkning: {note}',
  homeCorrected: 'rettet af {manager}: {verdict}',
  homeFair: { yes: 'sælger: fair', no: 'sælger: ikke fair' },
  homeOutcome: { yes: 'ja', next_step: 'næste skridt', no: 'nej', open: 'åben' },
  homeOpenThread: 'åbn',
  homeAgreementTitle: 'Coachen og lederne denne måned',
  homeAgreement: 'Rettede sessioner: {n}. Coachen havde samme vurdering i {agreed} ({pct}).',
  homeAgreementNone:
    'Ingen vurdering rettet denne måned. Ret en fra ⋯-menuen på et feedbackkort, eller med Ret ovenfor.',
  homeFairness: 'Sælgerne denne måned: 👍 fair {yes}, 👎 ikke fair {no}.',
  homeCorrectButton: 'Ret',
  confirmStopTitle: 'Stop øvelsen?',
  confirmStopText: 'Den ugentlige øvelse stopper for hele kanalen; der postes ingen nye runder.',
  confirmStopYes: 'Stop øvelsen',
  confirmRetireTitle: 'Pensioner scenariet?',
  confirmRetireText: 'Ingen kan starte det længere; sessioner, der allerede er kørt på det, gemmes.',
  confirmRetireYes: 'Pensioner det',
  confirmDeny: 'Annuller',
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
  buyerTyping: 'is aan het typen…',
  nothingToJudge: 'Te weinig om te beoordelen: je beëindigde de sessie voordat je iets aan de koper schreef.',
  undeliverableInThread:
    'Eén bericht van deze sessie kon hier niet worden geplaatst (Slack weigerde het). De sessie gaat door.',
  undeliverableThread:
    'Sparring kon niet schrijven in je oefenthread in <#{channel}> (Slack weigerde: niet in het kanaal, gearchiveerd of verdwenen). Nodig Sparring uit in het kanaal, of start een nieuwe sessie met /spar.',
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
  coachFallback:
    'De modelcoach is mislukt, dus dit is het oordeel van de offline coach, alleen op basis van de metingen.',
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
  drill: {
    title: 'Teamoefening van de week: {title}',
    intro:
      'Deze week oefent iedereen op dezelfde koper. Klik op de knop en je krijgt een eigen thread om in te oefenen. De resultaten komen hier te staan wanneer de oefening sluit ({closes}).',
    startButton: 'Start mijn poging',
    schedule: 'elke {weekday} om {time} ({tz})',
    scheduled:
      '{user} heeft hier een wekelijkse teamoefening ingepland: *{title}*, {schedule}. De eerste opent {first}.',
    stopped: '{user} heeft de wekelijkse teamoefening *{title}* gestopt.',
    closed:
      'Deze oefening is gesloten; de resultaten staan in het kanaal. Typ /spar {id} om toch op deze koper te oefenen.',
    alreadyStarted: 'Je hebt al een poging in deze oefening: {link}.',
    yourThread: 'jouw thread',
    summaryTitle: 'Resultaten van de teamoefening: {title}',
    tookPart: 'Deden mee ({n}): {users}',
    nobody: 'Niemand deed mee aan deze oefening.',
    verdicts: 'Oordelen',
    verdict: { connected: 'echt contact', mixed: 'gemengd', script: 'script afgedraaid' },
    unfinished: 'niet afgerond',
    topGap: 'Meest voorkomende valkuil: {gap} ({n} van {total})',
    noGap:
      'Geen gemeenschappelijke valkuil: elke afgeronde poging sloot af, vatte eerst samen, bleef stil na de afsluitvraag en vroeg door vóór het pitchen.',
    weakest: 'Zwakste punt: {dimension} (gemiddeld {score}/5)',
    since: 'Sinds de vorige oefening',
    participantsChange: 'deelnemers: {now} (vorige keer {before})',
    connectedChange: 'echt contact: {now} (vorige keer {before})',
    gapChange: '{gap}: {now} (vorige keer {before})',
    weakestChange: '{dimension}: {now}/5 (vorige keer {before})',
    firstRun: 'Dit is de eerste keer dat deze oefening loopt, dus er is nog niets om mee te vergelijken.',
    gap: {
      no_close: 'geen afsluiting',
      no_recap: 'geen samenvatting vóór de afsluiting',
      argument_after_close: 'een argument na de afsluitvraag',
      pitched_before_discovery: 'gepitcht vóór het behoefteonderzoek',
    },
    weekdays: ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'],
  },
  // issue 12 (terminal)
  cliBuyerFailed:
    'De koper kon niet antwoorden: {reason}. Je bericht is bewaard; typ /retry om het opnieuw te sturen.',
  cliHelp:
    'Commando’s: /done stopt en toont de feedback · /retry stuurt een bericht waarop de koper niet kon antwoorden opnieuw · /help toont deze lijst · /quit stopt zonder feedback. Al het andere dat je typt, gaat naar de koper.',
  cliUnknownCommand: '{command} is geen commando; er is niets naar de koper gestuurd.',
  cliDidYouMean: 'Bedoelde je {command}?',
  cliCommandList: 'Commando’s: /done, /retry, /help, /quit.',
  cliNothingToRetry: 'Er is niets om opnieuw te proberen: de koper heeft elk bericht beantwoord.',
  cliNotStored:
    'Deze sessie wordt niet bewaard: een ander Sparring-proces gebruikt de opslag op dit moment. Het oefenen werkt gewoon.',
  // issue 12 (slack)
  managersOnly: 'Alleen managers kunnen dat doen (vraag je workspacebeheerder).',
  endedHeader: '{user} heeft *{title}* geoefend',
  feedbackLink: 'Bekijk de feedback',
  endedWithoutVerdict: 'Beëindigd zonder oordeel.',
  drillTally: 'Pogingen: {started} gestart · {finished} afgerond',
  drillAttemptInDm:
    'Je poging staat klaar in je directe berichten met Sparring: {link}. Oefen daar; alleen de resultaten komen hier.',
  drillDmLink: 'open hem',
  stopDrillConfirm: {
    title: 'Deze oefening stoppen?',
    text: 'Er komen geen nieuwe wekelijkse berichten meer. De resultaten van de open week worden in het kanaal geplaatst.',
    confirm: 'Oefening stoppen',
    deny: 'Behouden',
  },
  drillIntroPrivate:
    'Deze week oefent iedereen op dezelfde koper. Klik op de knop: je poging opent in je directe berichten met Sparring, onder vier ogen. De resultaten komen hier te staan wanneer de oefening sluit ({closes}).',
  // issue 12 (verdict)
  fairPrompt: 'Was dit oordeel eerlijk?',
  fairYesButton: '👍 Eerlijk',
  fairNoButton: '👎 Niet eerlijk',
  fairAnsweredYes: '👍 {user} vond dit oordeel eerlijk. Je kunt je antwoord nog wijzigen.',
  fairAnsweredNo:
    '👎 {user} vond dit oordeel niet eerlijk; een manager kan het corrigeren. Je kunt je antwoord nog wijzigen.',
  onlyRepFair: 'Alleen {user} kan zeggen of dit oordeel eerlijk was: het is hun oefensessie.',
  correctVerdictMenu: 'Oordeel corrigeren (managers)',
  managersOnlyCorrect: 'Alleen managers en beheerders van de werkruimte kunnen een oordeel corrigeren.',
  correctionTitle: 'Oordeel corrigeren',
  correctionSubmit: 'Opslaan',
  correctionCancel: 'Annuleren',
  correctionIntro:
    'De coach zei: *{verdict}*. Je correctie wordt naast het oordeel van de coach bewaard, dat blijft zoals het was, en telt mee in de overeenstemming van het team.',
  correctionVerdict: 'Jouw oordeel',
  correctionLabelsHint:
    'Optioneel: de labelvelden, voor de evaluatieset. Laat een veld leeg als je het niet hebt gecontroleerd.',
  correctionNote: 'Opmerking voor de verkoper',
  correctionUnset: 'niet gecontroleerd',
  correctionNotANumber: 'Een geheel getal, 0 of meer.',
  correctionSessionGone: 'Deze oefensessie bestaat niet meer.',
  labelDiscoveryQuestions: 'Vragen naar de behoefte',
  labelBuyerFlatNo: 'De koper zei botweg nee',
  labelDisguisedNo: 'De koper gaf een verhuld nee',
  labelOutcome: 'Hoe het afliep',
  correctionPosted: '{manager} heeft het oordeel gecorrigeerd: *{verdict}* (de coach zei: {coach}).',
  correctionNoteLine: 'Opmerking: {note}',
  homeCorrected: 'gecorrigeerd door {manager}: {verdict}',
  homeFair: { yes: 'verkoper: eerlijk', no: 'verkoper: niet eerlijk' },
  homeOutcome: { yes: 'ja', next_step: 'volgende stap', no: 'nee', open: 'open' },
  homeOpenThread: 'openen',
  homeAgreementTitle: 'Coach en managers deze maand',
  homeAgreement: 'Gecorrigeerde sessies: {n}. De coach had hetzelfde oordeel in {agreed} ({pct}).',
  homeAgreementNone:
    'Deze maand is geen oordeel gecorrigeerd. Corrigeer er een via het ⋯-menu van een feedbackkaart, of met Corrigeren hierboven.',
  homeFairness: 'Verkopers deze maand: 👍 eerlijk {yes}, 👎 niet eerlijk {no}.',
  homeCorrectButton: 'Corrigeren',
  confirmStopTitle: 'Deze oefening stoppen?',
  confirmStopText:
    'De wekelijkse oefening stopt voor het hele kanaal; er worden geen nieuwe rondes geplaatst.',
  confirmStopYes: 'Oefening stoppen',
  confirmRetireTitle: 'Dit scenario intrekken?',
  confirmRetireText: 'Niemand kan het nog starten; sessies die er al op liepen blijven bewaard.',
  confirmRetireYes: 'Intrekken',
  confirmDeny: 'Annuleren',
};

export const MESSAGES: Record<Language, Messages> = { en, sv, da, nl };

export const messages = (language: string | null | undefined): Messages =>
  MESSAGES[(language ?? 'en') as Language] ?? MESSAGES.en;

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than disappearing. */
export const fill = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
