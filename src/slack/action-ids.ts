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
  /** Weekly drill post: the rep's own attempt, in a new thread, counted in the drill's results. */
  drillAttempt: 'sparring_drill_attempt',
  /** App Home (manager): stop the drill in the button's value. */
  drillStop: 'sparring_drill_stop',
  /** App Home (manager): open the modal that schedules a drill. */
  drillScheduleOpen: 'sparring_drill_schedule_open',
  /** App Home: start the scenario in the button's value, in the user's direct messages with Sparring. */
  homeStart: 'sparring_home_start',
  /** App Home (manager): open the modal that writes a new scenario. */
  scenarioNew: 'sparring_scenario_new',
  /** App Home (manager): retire the Slack-written scenario in the button's value. */
  scenarioRetire: 'sparring_scenario_retire',
  /** Upload or modal confirmation: a practice session on the new scenario for the manager who wrote it. */
  testBuyer: 'sparring_test_buyer',
  /** Feedback card: the rep found the verdict fair (value: the session id). */
  verdictFair: 'sparring_verdict_fair',
  /** Feedback card: the rep found the verdict unfair (value: the session id). */
  verdictUnfair: 'sparring_verdict_unfair',
  /** Feedback card's ⋯ menu and App Home (managers): open the modal that corrects the session's verdict. */
  verdictCorrect: 'sparring_verdict_correct',
} as const;

/** Modals Sparring opens; Bolt routes their submissions by these callback ids. */
export const VIEW_IDS = {
  scenario: 'sparring_scenario_modal',
  drill: 'sparring_drill_modal',
  verdictCorrection: 'sparring_verdict_correction_modal',
} as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];
