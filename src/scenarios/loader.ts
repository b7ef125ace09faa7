import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { lintScenario } from './lint.js';
import { type Scenario, ScenarioSchema } from './schema.js';

/** One thing wrong with a scenario file. `line` is 1-based; 0 means the file as a whole (e.g. unreadable). */
export type ScenarioProblem = { file: string; line: number; path: string; message: string };

/** Every valid scenario, and every problem found on the way; one bad file never hides the others. */
export type LoadResult = { scenarios: Scenario[]; problems: ScenarioProblem[] };

type PathSegment = string | number;

type Parsed = {
  scenario: Scenario | null;
  problems: ScenarioProblem[];
  /** 1-based line of the node at `segments`, or of its nearest existing parent. */
  lineOf: (segments: readonly PathSegment[]) => number;
};

// The yaml parser's wording assumes you know YAML; scenario authors are sales managers.
const YAML_HINTS: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: 'put text that contains ": " in quotes',
  MULTILINE_IMPLICIT_KEY: 'put text that contains ": " in quotes, or check the indentation',
  TAB_AS_INDENT: 'indent with spaces',
  DUPLICATE_KEY: 'each field may appear only once',
};

/** Parses one YAML text; `file` is used in problems and stored as scenario.source. Never throws for bad input. */
export function parseScenario(
  source: string,
  file: string,
): { scenario: Scenario | null; problems: ScenarioProblem[] } {
  const { scenario, problems } = parseText(source, file);
  return { scenario, problems };
}

function parseText(source: string, file: string): Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  const lineOf = (segments: readonly PathSegment[]) => nodeLine(doc, segments, lineAt);
  const problem = (line: number, at: readonly PathSegment[], message: string): ScenarioProblem => ({
    file,
    line,
    path: at.join('.'),
    message,
  });

  if (doc.errors.length > 0) {
    // A broken document parses into something half-right; validating it would only add confusing noise.
    const seenLines = new Set<number>();
    const problems: ScenarioProblem[] = [];
    for (const err of doc.errors) {
      const line = lineAt(err.pos[0]);
      if (seenLines.has(line)) continue; // the parser often reports one mistake several times on its line
      seenLines.add(line);
      const hint = YAML_HINTS[err.code];
      problems.push(problem(line, [], `invalid YAML: ${err.message}${hint ? ` (${hint})` : ''}`));
    }
    return { scenario: null, problems, lineOf };
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    return { scenario: null, problems: [problem(1, [], `invalid YAML: ${errorMessage(err)}`)], lineOf };
  }
  if (value === null || value === undefined) {
    return { scenario: null, problems: [problem(1, [], 'the file is empty; expected a scenario')], lineOf };
  }

  const problems: ScenarioProblem[] = unknownFields(doc, ScenarioSchema, doc.contents, []).map((u) =>
    problem(lineOf(u.at), u.at, u.message),
  );
  const parsed = ScenarioSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
      problems.push(problem(lineOf(at), at, issueMessage(issue, value, at)));
    }
  }
  if (parsed.success && problems.length === 0) {
    for (const issue of lintScenario(parsed.data as Scenario)) {
      problems.push(problem(lineOf(issue.at), issue.at, issue.message));
    }
  }
  problems.sort((a, b) => a.line - b.line);
  if (problems.length > 0) return { scenario: null, problems, lineOf };
  // parsed.success is true here: every failure above produced at least one problem.
  return { scenario: { ...(parsed.data as Scenario), source: file }, problems, lineOf };
}

/** Walks the YAML tree along `segments`; a missing field resolves to its nearest existing parent. */
function nodeLine(
  doc: Document,
  segments: readonly PathSegment[],
  lineAt: (offset: number | undefined) => number,
): number {
  let node: unknown = doc.contents;
  let line = lineAt(isNode(node) ? node.range?.[0] : undefined);
  for (const segment of segments) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      // The key's line, not the value's: a block value (`brief: |`) starts on the line below.
      line = lineAt(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) break;
      line = lineAt(item.range?.[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}

const isNode = (n: unknown): n is { range?: [number, number, number] | null } =>
  typeof n === 'object' && n !== null && 'range' in n;

/** zod's "expected string, received undefined" reads badly for a field that simply is not there. */
function issueMessage(issue: z.core.$ZodIssue, value: unknown, at: readonly PathSegment[]): string {
  const given = valueAt(value, at);
  if (issue.code === 'invalid_type' && given === undefined) {
    return `required field is missing (expected ${issue.expected})`;
  }
  // In a long file the line alone does not say which of several values on it was wrong.
  if (issue.code === 'invalid_value' && (typeof given === 'string' || typeof given === 'number')) {
    return `${issue.message} (got ${JSON.stringify(given)})`;
  }
  return issue.message;
}

function valueAt(value: unknown, at: readonly PathSegment[]): unknown {
  let v = value;
  for (const segment of at) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PathSegment, unknown>)[segment];
  }
  return v;
}

type UnknownField = { at: PathSegment[]; message: string };

/**
 * The schema strips unknown keys silently, so a typo such as `esential: true` would quietly leave a fact
 * non-essential. Lint reports them instead, with the closest known name.
 */
function unknownFields(doc: Document, schema: z.ZodType, node: unknown, at: PathSegment[]): UnknownField[] {
  const inner = unwrap(schema);
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (inner instanceof z.ZodObject && isMap(target)) {
    const shape = inner.shape as Record<string, z.ZodType>;
    const known = Object.keys(shape);
    return target.items.flatMap((pair) => {
      if (!isScalar(pair.key)) return [];
      const key = String(pair.key.value);
      const fieldSchema = shape[key];
      if (fieldSchema) return unknownFields(doc, fieldSchema, pair.value, [...at, key]);
      const guess = closest(key, known);
      const message = guess
        ? `unknown field (did you mean "${guess}"?)`
        : `unknown field; expected one of: ${known.join(', ')}`;
      return [{ at: [...at, key], message }];
    });
  }
  if (inner instanceof z.ZodArray && isSeq(target)) {
    return target.items.flatMap((item, i) =>
      unknownFields(doc, inner.element as z.ZodType, item, [...at, i]),
    );
  }
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  return schema;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

const SCENARIO_FILE = /\.ya?ml$/i;

/**
 * Files and/or directories (*.yaml, *.yml, non-recursive for dirs, sorted). Unreadable files become problems.
 * Duplicate ids across files: the later file gets a problem on its `id` line and is skipped. One bad file never
 * stops the others from loading. Problems and `source` carry absolute paths; `formatProblem` shortens them.
 */
export async function loadScenarioFiles(
  paths: readonly string[],
  cwd: string = process.cwd(),
): Promise<LoadResult> {
  const problems: ScenarioProblem[] = [];
  const files: string[] = [];
  for (const given of paths) {
    const target = path.resolve(cwd, given);
    try {
      if ((await stat(target)).isDirectory()) {
        const entries = await readdir(target, { withFileTypes: true });
        const names = entries
          .filter((e) => !e.isDirectory() && SCENARIO_FILE.test(e.name))
          .map((e) => e.name)
          .sort();
        if (names.length === 0) {
          problems.push({
            file: target,
            line: 0,
            path: '',
            message: 'no scenario files (*.yaml, *.yml) here',
          });
        }
        files.push(...names.map((name) => path.join(target, name)));
      } else {
        files.push(target);
      }
    } catch (err) {
      problems.push({ file: target, line: 0, path: '', message: `cannot read: ${errorMessage(err)}` });
    }
  }

  // The same file named twice (a directory and a file in it) is one file, not a duplicate id.
  const unique = [...new Set(files)];
  const texts = await Promise.all(
    unique.map(async (file) => {
      try {
        return { file, text: await readFile(file, 'utf8') };
      } catch (err) {
        return { file, error: errorMessage(err) };
      }
    }),
  );

  const scenarios: Scenario[] = [];
  const firstFileOf = new Map<string, string>();
  for (const entry of texts) {
    if (entry.text === undefined) {
      problems.push({ file: entry.file, line: 0, path: '', message: `cannot read: ${entry.error}` });
      continue;
    }
    const parsed = parseText(entry.text, entry.file);
    problems.push(...parsed.problems);
    if (!parsed.scenario) continue;
    const earlier = firstFileOf.get(parsed.scenario.id);
    if (earlier !== undefined) {
      problems.push({
        file: entry.file,
        line: parsed.lineOf(['id']),
        path: 'id',
        message: `duplicate scenario id "${parsed.scenario.id}" (already defined in ${path.relative(path.dirname(entry.file), earlier)})`,
      });
      continue;
    }
    firstFileOf.set(parsed.scenario.id, entry.file);
    scenarios.push(parsed.scenario);
  }
  return { scenarios, problems };
}

/** `file:line: field.path: message` — file relative to cwd when inside it. */
export function formatProblem(p: ScenarioProblem, cwd: string = process.cwd()): string {
  let file = p.file;
  if (path.isAbsolute(file)) {
    const relative = path.relative(cwd, file);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) file = relative;
  }
  const where = p.line > 0 ? `${file}:${p.line}` : file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

function errorMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}
