import { stringify } from 'yaml';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../domain/language.js';
import { fill } from '../../i18n/messages.js';
import { isRefusedKeyword } from '../../scenarios/lint.js';
import { parseScenario } from '../../scenarios/loader.js';
import { type FactKind, FactKindSchema, type Scenario } from '../../scenarios/schema.js';
import { LEXICONS } from '../../text/lexicons/index.js';
import { contentWords } from '../../text/tokenize.js';
import { AUTHORING_DEFAULTS, MIN_TRUST, TRUST_START } from './defaults.js';

/** The scenario modal's inputs, by block id; each input's action id is `value`. */
export const FORM_FIELDS = [
  'title',
  'language',
  'sale',
  'difficulty',
  'persona_name',
  'persona_role',
  'persona_company',
  'persona_personality',
  'persona_cares',
  'brief',
  'situation',
  'buying_process',
  'hidden_facts',
  'objections',
  'disguised_nos',
  'flat_no',
  'earned_yes',
  'earned_yes_line',
  'opening',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type ScenarioForm = Record<FormField, string>;

const InputSchema = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});
const StateValuesSchema = z.record(z.string(), z.record(z.string(), InputSchema));

/** Reads a view_submission's `view.state.values`: text inputs and selects alike, missing ones as "". */
export function readForm(values: unknown): ScenarioForm {
  const parsed = StateValuesSchema.parse(values ?? {});
  const form = {} as ScenarioForm;
  for (const field of FORM_FIELDS) {
    const input = parsed[field]?.value;
    form[field] = (input?.selected_option?.value ?? input?.value ?? '').trim();
  }
  return form;
}

const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim().replace(/^[-*•]\s+/, ''))
    .filter(Boolean);

type ParsedFact = { kind: FactKind; fact: string };

/**
 * "kind: fact" per line, e.g. "budget: We have 20k left this year" or "Decision group: the board signs off".
 * Returns the facts, or one message per bad line.
 */
export function parseFactLines(text: string): { facts: ParsedFact[]; errors: string[] } {
  const facts: ParsedFact[] = [];
  const errors: string[] = [];
  const kinds = FactKindSchema.options.join(', ');
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim().replace(/^[-*•]\s+/, '');
    if (!line) return;
    const m = /^([A-Za-z][A-Za-z _-]*?)\s*:\s*(.+)$/.exec(line);
    if (!m) {
      errors.push(`Line ${i + 1}: write it as "kind: fact", e.g. "budget: We have 20k left this year".`);
      return;
    }
    const kind = FactKindSchema.safeParse(m[1]!.toLowerCase().replace(/[\s-]+/g, '_'));
    if (!kind.success) {
      errors.push(`Line ${i + 1}: "${m[1]}" is not a kind; use one of ${kinds}.`);
      return;
    }
    facts.push({ kind: kind.data, fact: m[2]!.trim() });
  });
  if (facts.length === 0 && errors.length === 0)
    errors.push('Give at least one hidden fact, as "kind: fact".');
  return { facts, errors };
}

/** Words in a rep's question that go after a fact: its own longer words (as word starts) and its kind's usual words. */
export function factKeywords(fact: string, kind: FactKind, language: Language): string[] {
  const own = contentWords(fact, LEXICONS[language].stopwords)
    .filter((w) => w.length >= 5 && !/^\p{N}+$/u.test(w))
    // A word start, so "deliveries" also matches "delivery" and "delivered".
    .map((w) => (w.length > 6 ? w.slice(0, w.length - 2) : w));
  const all = [...new Set([...own.slice(0, 6), ...AUTHORING_DEFAULTS[language].keywords[kind]])].filter(
    (k) => !isRefusedKeyword(k, language),
  );
  if (all.length > 0) return all;
  const short = contentWords(fact, LEXICONS[language].stopwords)
    .filter((k) => !isRefusedKeyword(k, language))
    .slice(0, 3);
  return short.length > 0 ? short : [kind];
}

const FOLD: Record<string, string> = { æ: 'ae', ø: 'o', å: 'a', ß: 'ss', œ: 'oe', ð: 'd', þ: 'th' };

/** "Nyårsnatt & prischock!" in Swedish → "sv-nyarsnatt-prischock": the file-name style of shipped ids. */
export function scenarioIdFor(language: string, title: string, isTaken: (id: string) => boolean): string {
  const slug = title
    .toLowerCase()
    .replace(/[æøåßœðþ]/g, (c) => FOLD[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const base = `${language}-${slug || 'scenario'}`.slice(0, 58).replace(/-+$/, '');
  if (!isTaken(base)) return base;
  for (let n = 2; ; n++) if (!isTaken(`${base}-${n}`)) return `${base}-${n}`;
}

/** Which modal input a scenario problem belongs to (its field path's start). */
const BLOCK_OF: ReadonlyArray<[string, FormField]> = [
  ['persona.name', 'persona_name'],
  ['persona.role', 'persona_role'],
  ['persona.company', 'persona_company'],
  ['persona.personality', 'persona_personality'],
  ['persona.cares_about', 'persona_cares'],
  ['earned_yes.line', 'earned_yes_line'],
  ['earned_yes', 'earned_yes'],
  ...FORM_FIELDS.map((f) => [f, f] as [string, FormField]),
];

const LINE_FIELDS = new Set(['hidden_facts', 'objections', 'disguised_nos', 'persona.cares_about']);

function blockFor(path: string): { block: FormField; message: (m: string) => string } {
  for (const [prefix, block] of BLOCK_OF) {
    if (path === prefix || path.startsWith(`${prefix}.`)) {
      const rest = path.slice(prefix.length + 1);
      const index = /^(\d+)/.exec(rest);
      return {
        block,
        message: (m) => (LINE_FIELDS.has(prefix) && index ? `Line ${Number(index[1]) + 1}: ${m}` : m),
      };
    }
  }
  // A field the form fills itself: should not happen, but say where rather than lose it.
  return { block: 'title', message: (m) => `${path}: ${m}` };
}

export type FormResult =
  | { ok: true; scenario: Scenario; yaml: string }
  | { ok: false; errors: Partial<Record<FormField, string>> };

/**
 * The modal's answers as a scenario: hidden facts from "kind: fact" lines (ids, keywords, reveal lines and
 * trust derived from them), the scripted buyer's lines and anything else left blank from the language's
 * defaults. The result is YAML checked by the same parser and schema as `scenarios lint`; problems come back
 * per modal input.
 */
export function formToScenario(
  form: ScenarioForm,
  opts: { isTaken: (id: string) => boolean; author: string; at: Date },
): FormResult {
  const errors: Partial<Record<FormField, string>> = {};
  const language = (LANGUAGES as readonly string[]).includes(form.language)
    ? (form.language as Language)
    : null;
  if (!language) errors.language = `Choose one of ${LANGUAGES.join(', ')}.`;
  if (form.sale !== 'simple' && form.sale !== 'complex') errors.sale = 'Choose simple or complex.';
  const difficulty = Number(form.difficulty);
  if (!Number.isInteger(difficulty) || difficulty < 1 || difficulty > 5) errors.difficulty = 'Choose 1 to 5.';
  const facts = parseFactLines(form.hidden_facts);
  if (facts.errors.length > 0) errors.hidden_facts = facts.errors.slice(0, 3).join(' ');
  if (!language || Object.keys(errors).length > 0) return { ok: false, errors };

  const d = AUTHORING_DEFAULTS[language];
  const persona = { name: form.persona_name, role: form.persona_role, company: form.persona_company };
  const seen = new Map<string, number>();
  const hidden = facts.facts.map((f) => {
    const n = (seen.get(f.kind) ?? 0) + 1;
    seen.set(f.kind, n);
    return {
      id: n === 1 ? f.kind : `${f.kind}_${n}`,
      kind: f.kind,
      fact: f.fact,
      reveal_when: d.revealWhen[f.kind],
      // The form asks for the fact as the buyer would say it, so it is also what the buyer says.
      reveal_line: f.fact,
      keywords: factKeywords(f.fact, f.kind, language),
      min_trust: MIN_TRUST[f.kind],
      essential: false,
    };
  });
  // A close is earned once the rep has found the pain (and, in a complex sale, who decides).
  const mustFind: FactKind[] = form.sale === 'complex' ? ['pain', 'decision_group'] : ['pain'];
  for (const kind of mustFind) {
    const first = hidden.find((h) => h.kind === kind);
    if (first) first.essential = true;
  }
  if (!hidden.some((h) => h.essential) && hidden[0]) hidden[0].essential = true;

  const orDefault = (value: string, fallback: string) => value || fill(fallback, persona);
  const listOr = (value: string, fallback: string[]) => {
    const given = linesOf(value);
    return given.length > 0 ? given : fallback;
  };
  const id = scenarioIdFor(language, form.title, opts.isTaken);
  const scenario = {
    id,
    title: form.title,
    language,
    sale: form.sale,
    difficulty,
    start: 'conversation',
    brief: orDefault(form.brief, d.brief),
    persona: {
      ...persona,
      personality: form.persona_personality,
      cares_about: linesOf(form.persona_cares),
    },
    situation: form.situation,
    buying_process: orDefault(form.buying_process, d.buyingProcess),
    hidden_facts: hidden,
    objections: linesOf(form.objections),
    disguised_nos: listOr(form.disguised_nos, d.disguisedNos),
    flat_no: form.flat_no,
    earned_yes: {
      kind: form.sale === 'simple' ? 'order' : 'next_step',
      description: form.earned_yes,
      line: form.earned_yes_line,
    },
    opening: orDefault(form.opening, d.opening),
    offline: { trust_start: TRUST_START[difficulty] ?? 25, lines: d.lines },
  };
  const yaml = `# Written in Slack by ${opts.author} on ${opts.at.toISOString().slice(0, 10)}.\n${stringify(scenario, { lineWidth: 0 })}`;
  const parsed = parseScenario(yaml, `${id}.yaml`);
  if (!parsed.scenario) {
    for (const p of parsed.problems) {
      const { block, message } = blockFor(p.path);
      errors[block] ??= message(p.message);
    }
    return { ok: false, errors };
  }
  return { ok: true, scenario: parsed.scenario, yaml };
}
