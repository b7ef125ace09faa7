import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SCENARIO, runCli, USAGE } from '../../src/cli/main.js';
import { loadScenarioFiles } from '../../src/scenarios/loader.js';
import { silentLogger } from '../helpers/db.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Everything in a text that looks like a scenario id: a language, then at least two words joined by dashes. */
const scenarioIds = (text: string) => [
  ...new Set(text.match(/\b(?:en|sv|da|nl)-[a-z0-9]+(?:-[a-z0-9]+)+\b/g) ?? []),
];

describe('scenario ids the documentation names', () => {
  it('are all shipped scenarios: the usage text, the usage error and the README', async () => {
    const { scenarios } = await loadScenarioFiles([path.join(repoRoot, 'scenarios')], repoRoot);
    const shipped = scenarios.map((s) => s.id);
    let stderr = '';
    const code = await runCli(
      ['practice'],
      {
        stdin: Readable.from([]),
        stdout: () => undefined,
        stderr: (s) => {
          stderr += s;
        },
        env: {},
        cwd: repoRoot,
        isTty: false,
      },
      { logger: silentLogger },
    );
    expect(code).toBe(2);
    expect(stderr).toContain(`practice ${EXAMPLE_SCENARIO}`);
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const named = scenarioIds(`${USAGE}\n${stderr}\n${readme}`);
    // The README names several; an empty list would mean the pattern above stopped matching.
    expect(named.length).toBeGreaterThanOrEqual(5);
    expect(named.filter((id) => !shipped.includes(id))).toEqual([]);
  });
});
