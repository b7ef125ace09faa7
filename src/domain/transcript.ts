import { z } from 'zod';
import { SaleTypeSchema } from './language.js';

export const RoleSchema = z.enum(['rep', 'buyer']);
export type Role = z.infer<typeof RoleSchema>;

export const TurnSchema = z.object({
  role: RoleSchema,
  text: z.string(),
});
export type Turn = z.infer<typeof TurnSchema>;

/**
 * The interchange format (DESIGN.md): what the coach reads and what `practice --json` and the Slack export write.
 * Unknown fields (ids, labels, rationale) are accepted and ignored.
 */
export const TranscriptSchema = z.object({
  scenario: z.string().min(1).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2}(-[A-Za-z]{2})?$/, 'a language code such as "en", "sv", "da" or "nl"')
    .optional(),
  sale: SaleTypeSchema.optional(),
  turns: z.array(TurnSchema).min(1, 'a transcript needs at least one turn'),
});
export type Transcript = z.infer<typeof TranscriptSchema>;
