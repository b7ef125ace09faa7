import { context, divider, header, type KnownBlock, section } from './kit.js';

// Everything here is mrkdwn we wrote: "<" and "&" are written as entities, never typed raw.

/** `/spar help` (ephemeral, English): what Sparring is, how a session goes and ends, the commands. */
export function helpBlocks(opts: { mode: 'llm' | 'offline' }): KnownBlock[] {
  return [
    header('Sparring: practise on a skeptical buyer'),
    section(
      'Sparring plays a B2B buyer from a scenario: busy, skeptical and fair. You practise the conversation and ' +
        'the close in a Slack thread, and a coach then tells you one thing above all: *did you connect with this ' +
        'buyer, or did you just run the script?*',
    ),
    section(
      '*How to practise*\n' +
        '1. Type `/spar` and press *Start* on a scenario (or `/spar &lt;id&gt;`). In a channel, the session is visible ' +
        'and runs in its own thread; in a direct message with Sparring it stays between you.\n' +
        '2. The buyer opens in the thread. Reply *in that thread*; only your messages are answered.\n' +
        '3. Find out how they buy before you pitch, reflect what you hear, and close when you have earned it.',
    ),
    section(
      '*How a session ends*\n' +
        'Press *End &amp; get feedback* on the session message, or let the buyer make the decision. The feedback ' +
        'card shows the verdict, a score per dimension with quotes from your thread, the numbers, and one thing ' +
        'to try next time. *Try again* starts the same scenario in a new thread.',
    ),
    section(
      '*Commands*\n' +
        '• `/spar`: pick a scenario\n' +
        '• `/spar &lt;id&gt;`: start that scenario here\n' +
        '• `/spar list`: every scenario with its id\n' +
        '• `/spar help`: this message\n' +
        '• `@Sparring &lt;id&gt;` in a channel: start a session in the thread of your mention',
    ),
    section(
      '*For managers*\n' +
        '• `/spar drill &lt;id&gt; every &lt;weekday&gt; &lt;HH:MM&gt;`: a weekly drill in this channel, in your time zone\n' +
        '• `/spar drill list`, `/spar drill results`, `/spar drill stop &lt;id&gt;`\n' +
        '• `/spar scenario new`: write a scenario in a form; or send a scenario `.yaml` file to Sparring in a direct message\n' +
        '• `/spar scenario retire &lt;id&gt;`: hide a scenario from the pickers\n' +
        '• App Home: your recent sessions and the catalogue; for managers also the team, drills and usage',
    ),
    divider(),
    context(
      opts.mode === 'offline'
        ? 'Offline mode: no model is configured, so a scripted buyer follows the scenario’s own lines and the coach judges from the metrics alone.'
        : 'The buyer and the coach run on a language model. The coach quotes your thread verbatim as evidence.',
    ),
  ];
}
