import type { AnyMiddlewareArgs } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import { directEvent } from '../../src/slack/listeners/direct.js';

/** Middleware arguments as Bolt builds them for an Events API event (only what directEvent reads). */
const argsFor = (event: Record<string, unknown> | undefined) => {
  const next = vi.fn(async () => undefined);
  const args = { ...(event ? { event, body: { type: 'event_callback', event } } : { body: {} }), next };
  return { args: args as unknown as AnyMiddlewareArgs & { next: () => Promise<void> }, next };
};

describe('directEvent', () => {
  const listener = vi.fn(async (_args: unknown) => undefined);
  const plainMessages = directEvent('message', (e) => e.subtype === undefined, listener);

  it('hands an accepted event to its listener alone, with the arguments Bolt built', async () => {
    listener.mockClear();
    const { args, next } = argsFor({ type: 'message', user: 'U1', ts: '1.2', text: 'hi' });
    await plainMessages({ ...args, context: {}, client: {}, logger: {} } as never);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]![0]).toMatchObject({ event: { type: 'message', text: 'hi' } });
    expect(next).not.toHaveBeenCalled();
  });

  it('passes everything else on to Bolt’s listeners: other types, refused events, no event at all', async () => {
    listener.mockClear();
    for (const event of [
      { type: 'message', subtype: 'file_share', user: 'U1', ts: '1.2' },
      { type: 'app_mention', user: 'U1', ts: '1.2' },
      undefined,
    ]) {
      const { args, next } = argsFor(event);
      await plainMessages(args as never);
      expect(next).toHaveBeenCalledTimes(1);
    }
    expect(listener).not.toHaveBeenCalled();
  });

  it('lets the listener’s failure reach Bolt’s error handler (the middleware rejects)', async () => {
    const failing = directEvent(
      'app_mention',
      () => true,
      async () => {
        throw new Error('boom');
      },
    );
    const { args, next } = argsFor({ type: 'app_mention', user: 'U1', ts: '1.2' });
    await expect(failing(args as never)).rejects.toThrow('boom');
    expect(next).not.toHaveBeenCalled();
  });
});
