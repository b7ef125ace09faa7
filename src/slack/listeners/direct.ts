import type { AllMiddlewareArgs, AnyMiddlewareArgs, Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';

type EventListener<K extends string> = (
  args: SlackEventMiddlewareArgs<K> & AllMiddlewareArgs,
) => Promise<void>;

/**
 * `listener` for the Events API events of `type` that `when` accepts, as a global middleware: it gets them first
 * and alone, and every other request goes on to Bolt's listeners. A listener registered with `app.event` or
 * `app.message` gets each of its events only after Bolt has run every registered listener's own middleware for it
 * (some 25 chains, and arrays and promises for each); for the requests of every turn (a rep's plain message) that
 * was the largest share of Bolt's work. Register it after the event dedupe (`app.use` runs in order).
 */
export function directEvent<K extends string>(
  type: K,
  when: (event: { type: string; subtype?: unknown }) => boolean,
  listener: EventListener<K>,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const event = 'event' in args ? (args.event as { type: string; subtype?: unknown }) : undefined;
    if (event?.type === type && when(event)) {
      await listener(args as unknown as SlackEventMiddlewareArgs<K> & AllMiddlewareArgs);
      return;
    }
    await args.next();
  };
}
