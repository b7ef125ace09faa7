import { z } from 'zod';

/** Languages with a full set of UI messages, lexicons and shipped scenarios. */
export const LANGUAGES = ['en', 'sv', 'da', 'nl'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/** Simple: one decision, ask for the order. Complex: several people and steps, close on a next step. */
export const SaleTypeSchema = z.enum(['simple', 'complex']);
export type SaleType = z.infer<typeof SaleTypeSchema>;

/** Transcripts may carry any language code; analysis falls back to English rules for unknown ones. */
export const toLanguage = (code: string | undefined | null): Language => {
  const base = (code ?? 'en').toLowerCase().slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
};
