import { FactKindSchema } from '../scenarios/schema.js';
import type { RepTurnAnalysis } from './types.js';

/** A buying-process topic a discovery question goes after (the hidden-fact kinds minus "other"). */
export type Topic = RepTurnAnalysis['discoveryTopics'][number];

export const TOPICS: readonly Topic[] = FactKindSchema.options.filter((k): k is Topic => k !== 'other');

/**
 * One language's phrase book. Every pattern is matched against normalised, lower-case text (see `normalize`), as
 * whole words at its edges; write `\\w` for a letter of any alphabet and `\\b` for a word boundary.
 */
export type Lexicon = {
  stopwords: ReadonlySet<string>;
  /** Sentences without "?" that still ask: "can you tell me…", "may I ask…". */
  explicitQuestion: RegExp[];
  /** Identity checks, only for short questions: "is that Claire?". */
  identityCheck: RegExp[];
  /** Small talk and permission questions: "how are you?", "do you have a minute?", "have you heard of us?". */
  smallTalk: RegExp[];
  /** Check-backs on the rep's own summary: "did I get that right?". */
  checkBack: RegExp[];
  /** Asking for a reaction to the rep's own words: "how does that sound?". Neither discovery nor a close. */
  opinionCheck: RegExp[];
  /** Rhetorical or leading questions: "would you say no to half price?". */
  leading: RegExp[];
  /** Soft closing questions: "what is your impression of this conversation?", "how shall we proceed?". */
  softClose: RegExp[];
  /** The asking part of a close: "shall I", "can we", "would you like". */
  closeAsk: RegExp[];
  /** A joint proposal opening the sentence: "shall we…", "ska vi…", "skal vi…", "zullen we…". */
  proposalAsk: RegExp[];
  /**
   * What makes a proposal concrete: a date, a season, a bounded period or scope ("over the Easter break", "före
   * semestern", "i fire uger", "op één project").
   */
  commitAnchor: RegExp[];
  /** After an ask form, these make it a request to talk rather than a close: "can I ask…", "could we talk about who…". */
  closeBreak: RegExp[];
  /** What a close asks to do: "set that up", "arrange", "book", "get it signed". */
  closeAction: RegExp[];
  /** Agreement-seeking closes on their own: "shall we do that?", "skal vi sige det?". */
  closeAgree: RegExp[];
  /** A day or time, for "would Tuesday work?". */
  scheduleTime: RegExp[];
  /** "work", "suit", "passer", for "would Tuesday work?". */
  scheduleFit: RegExp[];
  /** The close asks for a purchase, signature, contract or activation. */
  orderSignal: RegExp[];
  /** The close asks for a demo, meeting, presentation, trial, test, visit or working group. */
  nextStepSignal: RegExp[];
  /** Presenting the product or company: features, benefits, offers, prices, credentials. */
  pitch: RegExp[];
  /** "Before I say anything about what we do": the opposite of a pitch. */
  deferral: RegExp[];
  /** Deadlines, discounts, "sign before…". */
  pressure: RegExp[];
  /** "So, in your words", "så för att sammanfatta", "så lad mig samle op", "even op een rij". */
  recapMarker: RegExp[];
  /** "So what you're saying is", "du säger alltså", "du fortæller mig", "u zegt dus": taking a line back as it is. */
  mirrorMarker: RegExp[];
  /** What may follow a close without being a new argument: "no pressure", "take your time". */
  courtesy: RegExp[];
  /** Attempts to break the role-play. */
  offScript: RegExp[];
  /** A blunt no, matched against the whole first sentence of a buyer turn. */
  flatNo: RegExp[];
  /** A hedged, face-saving refusal: postponing, price, fit, "send me some information". */
  disguisedNo: RegExp[];
  /** Agreement to an order or a next step. */
  agree: RegExp[];
  /** What a discovery question is about. */
  topics: Record<Topic, RegExp[]>;
  /**
   * Words of the buying process itself (budget, decide, team, problem, today…). Anyone can say them without having
   * listened, so taking one back is no sign of listening and a recap made of them is no recap.
   */
  generic: ReadonlySet<string>;
  /** Benefit questions and other questions that sell rather than ask: "imagine if…", "how would it feel to…". */
  benefitQuestion: RegExp[];
};

const L = '[\\p{L}\\p{N}]';
const START = `(?<!${L})`;
const END = `(?!${L})`;

/** Compiles patterns: whole words at the edges, `\\w` as any letter or digit, `\\b` as a Unicode word boundary. */
export const rx = (...sources: string[]): RegExp[] =>
  sources.map((src) => {
    const body = src.replace(/\\b/g, `(?:${START}(?=${L})|(?<=${L})${END})`).replace(/\\w/g, L);
    return new RegExp(`${START}(?:${body})${END}`, 'iu');
  });

/** Whole-sentence patterns: the sentence, stripped of punctuation at the edges, must match entirely. */
export const whole = (...sources: string[]): RegExp[] =>
  sources.map((src) => new RegExp(`^(?:${src.replace(/\\w/g, L)})$`, 'iu'));

export const anyMatch = (patterns: readonly RegExp[], text: string): boolean =>
  patterns.some((p) => p.test(text));

export const firstMatch = (patterns: readonly RegExp[], text: string): RegExpExecArray | null => {
  let best: RegExpExecArray | null = null;
  for (const p of patterns) {
    const m = p.exec(text);
    if (m && (!best || m.index < best.index)) best = m;
  }
  return best;
};

/** Patterns that read the same in every language: percentages, amounts of money, numbers of customers. */
export const COMMON = {
  pitch: rx(
    '\\d+([.,]\\d+)? ?(%|procent|percent|prosent)',
    '(€|\\$|£) ?\\d+([.,]\\d+)*',
    '\\d+([.,]\\d+)* ?(€|\\$|£|eur|euro|kr|sek|dkk|kroner|kronor)\\b.{0,20}\\b(per|pr|om|i|a|each|/)\\b',
  ),
  offScript: rx(
    'ignore (all |your |the |any )?(previous |prior |above |earlier )?(instructions|prompts?|rules|system prompt)',
    'disregard (all |your |the )?(previous |prior )?(instructions|prompts?|rules)',
    'forget (all |everything|your (instructions|rules|role|prompt))',
    'system prompt',
    '(reveal|show|print|tell me) (me )?(your|the) (prompt|instructions|hidden facts|scenario|rules)',
    'you are (now )?(an? )?(ai|chatgpt|gpt|assistant|language model|llm|chatbot|bot|coach)',
    'as an ai',
    'jailbreak',
    'developer mode',
    'pretend (to be|you are)',
    'role ?play is over',
    'out of character',
  ),
};

/** Builds a stopword set from a space-separated list. */
export const stopwords = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));
