/** Every interactive element Sparring posts; Bolt routes block actions by these ids. */
export const ACTION_IDS = {
  /** Picker and unknown-id list: start the scenario in the button's value. */
  start: 'sparring_start',
  /** Session message: the rep ends the session and gets the feedback. */
  end: 'sparring_end',
  /** Failure message: answer the rep's stored message again. */
  retry: 'sparring_retry',
  /** Feedback card: the same scenario again, in a new thread. */
  tryAgain: 'sparring_try_again',
} as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];
