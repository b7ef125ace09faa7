import type { Scenario } from '../scenarios/schema.js';

/**
 * What the coach knows beyond the transcript. In a close drill the conversation did not start at turn 0: the
 * drill's summary (the buyer's own account of what was said before) is the conversation so far, and the rep's
 * recap and discovery are judged against it.
 */
export type CoachContext = {
  /** The close drill's summary, or null for a conversation from the start. */
  closeSummary: string | null;
};

export const NO_CONTEXT: CoachContext = { closeSummary: null };

/** The coach's context for a session on this scenario (none when the scenario is not known). */
export const coachContextOf = (scenario: Scenario | undefined): CoachContext => ({
  closeSummary: scenario?.start === 'close' ? (scenario.close_summary ?? null) : null,
});
