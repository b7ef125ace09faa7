import type { Language } from '../../domain/language.js';
import type { Lexicon } from '../lexicon.js';
import { da } from './da.js';
import { en } from './en.js';
import { nl } from './nl.js';
import { sv } from './sv.js';

/** The phrase book per supported language. */
export const LEXICONS: Readonly<Record<Language, Lexicon>> = { en, sv, da, nl };
