import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.js';

/** Prompt files rendered with named variables; `render` fails on a missing or an unknown one. */
export type Prompts = {
  render(name: string, vars: Record<string, string>): string;
  names(): string[];
};

/**
 * The prompts the app ships, with exactly the placeholders each must contain. Checked at start-up, so that an
 * edited prompt that lost or gained a placeholder fails before the first conversation, not in the middle of one.
 */
export const PROMPT_VARIABLES = {
  buyer: [
    'language',
    'difficulty',
    'name',
    'persona',
    'situation',
    'buying_process',
    'hidden_facts',
    'objections',
    'disguised_nos',
    'flat_no',
    'earned_yes',
    'sale_rules',
    'voice',
    'opening',
    'close_drill',
  ],
  'buyer-sale-simple': [],
  'buyer-sale-complex': [],
  'buyer-close-drill': ['close_summary'],
  'buyer-decision': ['reason'],
  coach: [],
  'coach-input': ['language', 'sale', 'scenario', 'conversation_so_far', 'measured', 'hints', 'transcript'],
} as const satisfies Record<string, readonly string[]>;

export type PromptName = keyof typeof PROMPT_VARIABLES;

const PLACEHOLDER = /\{\{([A-Za-z0-9_]+)\}\}/g;
// Anything that looks like an attempt at a placeholder but is not one: "{{ name }}", "{{name}", "{{}}".
const BROKEN_PLACEHOLDER = /\{\{(?![A-Za-z0-9_]+\}\})/;

const placeholdersOf = (text: string): Set<string> =>
  new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!));

/**
 * Reads every `*.md` in `dir` once. `required` maps prompt names (file names without `.md`) to the exact set of
 * placeholders each must use; it defaults to the app's own prompts.
 */
export async function loadPrompts(
  dir: string,
  required: Record<string, readonly string[]> = PROMPT_VARIABLES,
): Promise<Prompts> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.md'));
  } catch (err) {
    throw new AppError('prompt_invalid', `Cannot read the prompts directory ${dir}`, { cause: err });
  }

  const texts = new Map<string, string>();
  for (const file of files.sort()) {
    const text = (await readFile(join(dir, file), 'utf8')).replace(/\r\n/g, '\n').trimEnd();
    const broken = BROKEN_PLACEHOLDER.exec(text);
    if (broken) {
      const snippet = text.slice(broken.index, broken.index + 20).split('\n')[0];
      throw new AppError('prompt_invalid', `${join(dir, file)}: malformed placeholder near "${snippet}"`);
    }
    texts.set(file.slice(0, -'.md'.length), text);
  }

  for (const [name, expected] of Object.entries(required)) {
    const file = join(dir, `${name}.md`);
    const text = texts.get(name);
    if (text === undefined) throw new AppError('prompt_invalid', `${file} is missing`);
    const found = placeholdersOf(text);
    const missing = expected.filter((v) => !found.has(v));
    const unknown = [...found].filter((v) => !expected.includes(v));
    if (missing.length > 0) {
      throw new AppError('prompt_invalid', `${file} lacks the placeholder {{${missing[0]}}}`);
    }
    if (unknown.length > 0) {
      throw new AppError(
        'prompt_invalid',
        `${file} uses the unknown placeholder {{${unknown[0]}}} (expected: ${expected.join(', ') || 'none'})`,
      );
    }
  }

  const placeholders = new Map([...texts].map(([name, text]) => [name, placeholdersOf(text)]));

  return {
    names: () => [...texts.keys()],
    render(name, vars) {
      const text = texts.get(name);
      const expected = placeholders.get(name);
      if (text === undefined || expected === undefined) {
        throw new AppError('prompt_invalid', `No prompt named "${name}" in ${dir}`);
      }
      const missing = [...expected].filter((v) => !Object.hasOwn(vars, v));
      if (missing.length > 0) {
        throw new AppError('prompt_invalid', `Prompt "${name}": no value for {{${missing[0]}}}`);
      }
      const unknown = Object.keys(vars).filter((v) => !expected.has(v));
      if (unknown.length > 0) {
        throw new AppError('prompt_invalid', `Prompt "${name}" has no placeholder {{${unknown[0]}}}`);
      }
      // One pass: a value that itself contains "{{x}}" (a scenario line, say) is inserted as it is.
      return text.replace(PLACEHOLDER, (_, key: string) => vars[key]!);
    },
  };
}

/** "Swedish (svenska, sv)": how prompts name a language, so the model cannot mistake Danish for Norwegian. */
export function describeLanguage(code: string): string {
  try {
    const english = new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
    const native = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
    return native === english ? `${english} (${code})` : `${english} (${native}, ${code})`;
  } catch {
    return code; // not a well-formed language tag: say it as it is
  }
}
