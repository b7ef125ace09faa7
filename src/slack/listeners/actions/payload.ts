import { z } from 'zod';

/** The parts of a block_actions payload the listeners read; everything else is ignored. */
export const BlockActionBodySchema = z.object({
  user: z.object({ id: z.string().min(1) }),
  team: z.object({ id: z.string().min(1) }).nullish(),
  channel: z.object({ id: z.string().min(1) }).nullish(),
  container: z
    .object({
      channel_id: z.string().optional(),
      message_ts: z.string().optional(),
      thread_ts: z.string().optional(),
    })
    .nullish(),
  message: z.object({ ts: z.string().min(1), thread_ts: z.string().optional() }).nullish(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});
export type BlockActionBody = z.infer<typeof BlockActionBodySchema>;

/** Same rule as ScenarioSchema's id. */
export const ScenarioIdValueSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/);
export const SessionIdValueSchema = z.string().min(1).max(100);

export const channelOf = (b: BlockActionBody): string | null =>
  b.channel?.id ?? b.container?.channel_id ?? null;

/** The thread a button's message belongs to: its parent's ts, or its own ts when it is the parent. */
export const threadOf = (b: BlockActionBody): string | null =>
  b.message?.thread_ts ?? b.message?.ts ?? b.container?.thread_ts ?? b.container?.message_ts ?? null;

/** Parses the body and the clicked button's value; a malformed payload is a bug, not a user error. */
export function parseAction<T>(body: unknown, value: z.ZodType<T>): { body: BlockActionBody; value: T } {
  const parsed = BlockActionBodySchema.parse(body);
  return { body: parsed, value: value.parse(parsed.actions[0]?.value) };
}
