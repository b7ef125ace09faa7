import type { BuyerState, Outcome } from '../buyer/types.js';
import type { Feedback } from '../coach/feedback.js';
import type { Language, SaleType } from '../domain/language.js';
import type { Role } from '../domain/transcript.js';
import type { SessionUsage } from '../llm/types.js';

export type Surface = 'cli' | 'slack';
export type SessionStatus = 'active' | 'ended';

/** One practice conversation: a rep, a scenario, a thread. */
export type Session = {
  id: string;
  scenarioId: string;
  language: Language;
  sale: SaleType;
  mode: 'llm' | 'offline';
  surface: Surface;
  userId: string | null;
  teamId: string | null;
  channelId: string | null;
  threadTs: string | null;
  drillId: string | null;
  status: SessionStatus;
  state: BuyerState;
  usage: SessionUsage;
  /** Which model served which purpose, for cost reporting. */
  models: Partial<Record<'buyer' | 'coach', string>>;
  createdAt: Date;
  endedAt: Date | null;
};

/** A stored turn; `raw` is the buyer's structured output, kept so the LLM prompt prefix never changes. */
export type StoredTurn = {
  idx: number;
  role: Role;
  text: string;
  raw: string | null;
  externalId: string | null;
};

/** A session as it is stored first: the store sets its status and times. */
export type NewSession = Omit<Session, 'createdAt' | 'endedAt' | 'status' | 'usage'> & {
  usage?: SessionUsage;
};

/** `start`: the Slack message that started the session (an @mention), stored answered; never queued. */
export type InboxKind = 'message' | 'end' | 'start';
export type InboxStatus = 'pending' | 'failed' | 'done' | 'ignored';

/** A request from the rep, kept until it has been answered. */
export type InboxItem = {
  id: number;
  sessionId: string;
  kind: InboxKind;
  text: string | null;
  externalId: string | null;
  userId: string | null;
  status: InboxStatus;
  error: string | null;
  attempts: number;
};

/** What the app has to tell the rep, stored before it is delivered (posted, printed). */
export type OutboxPayload =
  /** The session message (scenario, rep, End button), first in a thread the rep's @mention opened. */
  | { kind: 'header' }
  | { kind: 'opening'; text: string; summary: string | null }
  | { kind: 'reply'; text: string; turn: number; inboxId: number; inReplyTo: string | null }
  | { kind: 'failure'; inboxId: number; code: string; message: string; inReplyTo: string | null }
  | { kind: 'feedback'; feedback: Feedback; outcome: Outcome; endedBy: 'buyer' | 'rep' }
  | { kind: 'notice'; code: 'ignored_after_end' | 'nothing_to_judge'; inReplyTo: string | null };

export type OutboxItem = {
  id: number;
  sessionId: string;
  payload: OutboxPayload;
  deliveredAt: Date | null;
  ref: string | null;
  /** Failed delivery attempts so far (a success is not counted). */
  attempts: number;
};
