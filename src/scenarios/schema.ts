import { z } from 'zod';
import { LanguageSchema, SaleTypeSchema } from '../domain/language.js';

const text = (what: string) => z.string().trim().min(1, `${what} must not be empty`);
const lines = (what: string, min = 1) =>
  z.array(text(what)).min(min, `give at least ${min} ${what}${min === 1 ? '' : 's'}`);

/** What kind of thing a hidden fact is: the buying-process steps of seed 001 plus the pain itself. */
export const FactKindSchema = z.enum([
  'pain',
  'current_state',
  'workaround',
  'decision_group',
  'budget',
  'status_quo',
  'timeline',
  'internal_impact',
  'other',
]);
export type FactKind = z.infer<typeof FactKindSchema>;

/** Something the buyer knows and never volunteers; the rep has to earn it. */
export const HiddenFactSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case, e.g. "budget" or "failed_pilot"'),
  kind: FactKindSchema,
  /** The truth, as the buyer would put it. */
  fact: text('fact'),
  /** What the rep must do to earn the reveal (the LLM buyer reads this). */
  reveal_when: text('reveal_when'),
  /** Offline mode: the buyer's authored line when the fact is revealed. */
  reveal_line: text('reveal_line'),
  /** Offline mode: words in a rep question that go after this fact (lower case, any inflection prefix). */
  keywords: z.array(text('keyword')).min(1, 'give at least one keyword'),
  /** Trust (0-100) the buyer needs before revealing it. */
  min_trust: z.number().int().min(0).max(100).default(20),
  /** Must be uncovered before a close is earned. */
  essential: z.boolean().default(false),
});
export type HiddenFact = z.infer<typeof HiddenFactSchema>;

export const PersonaSchema = z.object({
  name: text('persona.name'),
  role: text('persona.role'),
  company: text('persona.company'),
  personality: text('persona.personality'),
  cares_about: lines('thing the buyer cares about'),
});
export type Persona = z.infer<typeof PersonaSchema>;

/** Authored lines the offline (scripted) buyer uses; in the scenario's language. */
export const OfflineLinesSchema = z.object({
  /** Answer to a question that digs into nothing in particular. */
  guarded: lines('guarded line'),
  /** Reaction to a pitch or a monologue. */
  pitch: lines('pitch reaction'),
  /** Reaction to pressure: deadlines, discounts, asking again. */
  pressure: lines('pressure reaction'),
  /** Warm reaction when the rep reflects the buyer's own words. */
  reflection: lines('reflection reaction'),
  /** Reaction to junk, prompt injection or off-topic text; stays in character. */
  off_topic: lines('off-topic reaction'),
  /** Honest answer to "what is your impression?" when a close is not yet earned: a hint at what is missing. */
  impression: lines('impression line'),
  /** The buyer's way of ending a conversation that has gone on too long without a decision. */
  wrap_up: text('wrap_up'),
});
export type OfflineLines = z.infer<typeof OfflineLinesSchema>;

/** Words `/spar` reads as subcommands, so no scenario may be called that. */
export const RESERVED_IDS: readonly string[] = ['help', 'list', 'drill', 'scenario', 'scenarios'];

export const ScenarioSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'use 3-64 lower-case letters, digits and dashes'),
    title: text('title'),
    language: LanguageSchema,
    sale: SaleTypeSchema,
    difficulty: z.number().int().min(1).max(5),
    /** `close` drills start at the end of the conversation: the rep practises the recap and the ask. */
    start: z.enum(['conversation', 'close']).default('conversation'),
    /** What the rep is told before starting, in the scenario's language. */
    brief: text('brief'),
    persona: PersonaSchema,
    /** The buyer's situation (hidden from the rep). */
    situation: text('situation'),
    /** Where the buyer stands in their own buying process (seed 001). */
    buying_process: text('buying_process'),
    hidden_facts: z.array(HiddenFactSchema).min(1, 'give at least one hidden fact'),
    /** Open objections the buyer raises; they invite discussion. */
    objections: lines('objection'),
    /** Face-saving refusals ("we need to think about it"), used on unearned closes. */
    disguised_nos: lines('disguised no', 2),
    /** The blunt no for a close that was pushed too far ("Næhh."). */
    flat_no: text('flat_no'),
    earned_yes: z.object({
      /** What the buyer agrees to: the order in a simple sale, a named next step in a complex one. */
      kind: z.enum(['order', 'next_step']),
      description: text('earned_yes.description'),
      /** The buyer's line when the close is earned. */
      line: text('earned_yes.line'),
    }),
    /** The buyer's first line. In a close drill: the last thing the buyer says before the rep's close. */
    opening: text('opening'),
    /** Close drills only: the conversation so far, in the buyer's own words. */
    close_summary: text('close_summary').optional(),
    /**
     * The scenario's own good rep, for `scenarios test`: what a rep who connects would write, one message per
     * line, played in order against the offline buyer. It must win the earned yes.
     */
    test_rep: z.array(text('test_rep line')).min(1, 'give at least one line').optional(),
    offline: z.object({
      /** Trust (0-100) at the start. */
      trust_start: z.number().int().min(0).max(100).default(25),
      lines: OfflineLinesSchema,
    }),
  })
  .superRefine((s, ctx) => {
    if (RESERVED_IDS.includes(s.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message: `"${s.id}" is a /spar subcommand; choose another id`,
      });
    }
    if (s.start === 'close' && !s.close_summary) {
      ctx.addIssue({
        code: 'custom',
        path: ['close_summary'],
        message: 'a close drill (start: close) needs close_summary',
      });
    }
    const expected = s.sale === 'simple' ? 'order' : 'next_step';
    if (s.earned_yes.kind !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['earned_yes', 'kind'],
        message: `a ${s.sale} sale is won with ${expected === 'order' ? 'the order' : 'a next step'}: use "${expected}"`,
      });
    }
    const seen = new Set<string>();
    s.hidden_facts.forEach((f, i) => {
      if (seen.has(f.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['hidden_facts', i, 'id'],
          message: `duplicate fact id "${f.id}"`,
        });
      }
      seen.add(f.id);
    });
  });

/** A validated scenario. `source` says where it came from, for messages. */
export type Scenario = z.infer<typeof ScenarioSchema> & { source?: string };
