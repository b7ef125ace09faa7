import type { ChatRequest } from '../test/helpers/fake-openai.js';

/**
 * What the simulated reps say and how the fake buyer model answers: realistic lengths (a rep line of 15 to 40
 * words, a structured buyer turn of about 700 characters), so prompt sizes, stored rows and Slack payloads
 * are the size they would be with a real model. Deterministic, so runs compare.
 */

const REP_LINES = [
  'Thanks for making the time. Before I say anything about us, how do you handle this today?',
  'What made you agree to this call, given how busy this time of year is for you?',
  'When it goes wrong, what does that actually cost you, in money or in hours?',
  'You said the current setup mostly works. Where does it not, even a little?',
  'Who else would have a say if you decided to change anything here?',
  'How did you choose the supplier you have now, and what would you do differently?',
  'If nothing changes this year, what happens? Is that acceptable to you?',
  'So if I heard you right, the real problem is the time your team loses every week, not the price. Is that fair?',
  'What would you need to see before you would even consider a trial?',
  'How do decisions like this get made in your company, step by step?',
  'What have you already tried to fix this yourselves?',
  'Is there a date by which this has to be solved, or is it more of a someday thing?',
];

const OPENERS = [
  'Honestly, I am not sure this is a priority for us right now.',
  'Look, we have managed so far, and changing things costs time I do not have.',
  'That is a fair question, but I have heard a lot of promises from people like you.',
  'Hm. It depends on who you ask here, to be frank.',
];
const MIDDLES = [
  'The team complains about it on busy days, and I end up fixing things myself in the evening.',
  'Our current supplier is not great, but they know us and they pick up the phone.',
  'My partner looks at every cost twice, and anything over a few hundred a month goes to her.',
  'We tried a different tool two years ago and it took months before anyone trusted it.',
];
const CLOSERS = [
  'What exactly would be different for us, in practice?',
  'I would need to understand that better before I take it to anyone.',
  'Go on, but keep it short, I have a delivery at four.',
  'So what are you actually asking me for?',
];

/** A small stable hash, to pick lines without randomness. */
const hash = (s: string): number => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

/** The marker that makes every rep message unique and tells the bench whose turn a model request belongs to. */
export const marker = (rep: string, turn: number) => `[${rep}.${turn}]`;
const MARKER = /\[([a-z0-9]+)\.(\d+)\]\s*$/;

export const repLine = (rep: string, turn: number): string =>
  `${REP_LINES[(hash(rep) + turn) % REP_LINES.length]} ${marker(rep, turn)}`;

/** The rep and turn of a message written by repLine, or null. */
export function parseMarker(text: string): { rep: string; turn: number } | null {
  const m = MARKER.exec(text);
  return m ? { rep: m[1]!, turn: Number(m[2]) } : null;
}

const lastUser = (req: ChatRequest) =>
  [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';

/**
 * A buyer turn shaped like a model's (the fields of BuyerTurnSchema, a private thought and a reply of three
 * sentences) that keeps the conversation open. The reply ends with the rep's marker, so the bench can check that
 * each reply answers the right message.
 */
export function benchBuyerTurn(req: ChatRequest) {
  const said = lastUser(req);
  const h = hash(said);
  const turns = req.messages.filter((m) => m.role === 'assistant').length;
  const tag = MARKER.exec(said)?.[0]?.trim() ?? '';
  return {
    thought:
      'The rep asked about how we work rather than pitching, which I appreciate, but I am still not convinced ' +
      'they understand what a bad Saturday looks like for us. I will give a little and see what they do with it.',
    close_attempt: false,
    close_kind: null,
    close_earned: false,
    trust: Math.min(60, 25 + turns * 4),
    newly_uncovered: [],
    outcome: 'open',
    ended: false,
    reply:
      `${OPENERS[h % OPENERS.length]} ${MIDDLES[(h >>> 4) % MIDDLES.length]} ${CLOSERS[(h >>> 8) % CLOSERS.length]} ${tag}`.trim(),
  };
}
