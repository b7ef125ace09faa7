import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENERIC_REPS, type PanelRun, panelFailures, runPanel } from '../../src/authoring/panel.js';
import { createOfflineBuyer } from '../../src/buyer/offline-buyer.js';
import { formatProblem, loadScenarioFiles } from '../../src/scenarios/loader.js';
import type { Scenario } from '../../src/scenarios/schema.js';
import { pitbullRep } from './reps.js';

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
let scenarios: Scenario[] = [];
let runs: PanelRun[] = [];

beforeAll(async () => {
  const result = await loadScenarioFiles([SCENARIOS_DIR]);
  expect(result.problems.map((p) => formatProblem(p))).toEqual([]);
  scenarios = result.scenarios;
  runs = (await Promise.all(scenarios.map((s) => runPanel(s)))).flat();
});

const outcomes = (rep: string) =>
  runs.filter((r) => r.rep === rep).map((r) => `${r.scenario}: ${r.won ? 'won' : r.outcome} ${r.verdict}`);

/** Seeds 000-003 in one check per shipped scenario: the offline buyer is hard to win, and fair. */
describe('every shipped buyer, offline (the scenarios test panel)', () => {
  it('has a test_rep, the scenario’s own good rep', () => {
    expect(scenarios.filter((s) => !s.test_rep).map((s) => s.id)).toEqual([]);
  });

  it("gives the scenario's good rep the earned yes, and the coach calls it connected", () => {
    expect(outcomes('test_rep')).toEqual(scenarios.map((s) => `${s.id}: won connected`));
  });

  it.each(GENERIC_REPS)('never gives the earned yes to the generic %s, nor calls it connected', (rep) => {
    const played = runs.filter((r) => r.rep === rep);
    expect(played).toHaveLength(scenarios.length);
    expect(played.filter((r) => r.won).map((r) => r.scenario)).toEqual([]);
    expect(played.filter((r) => r.verdict === 'connected').map((r) => r.scenario)).toEqual([]);
  });

  it('fails the panel when a generic rep wins or the good rep loses', () => {
    expect(panelFailures(runs)).toEqual([]);
    const won = runs.find((r) => r.rep === 'pitbull')!;
    expect(panelFailures([{ ...won, won: true }])).toHaveLength(1);
    const good = runs.find((r) => r.rep === 'test_rep')!;
    expect(panelFailures([{ ...good, won: false }])).toHaveLength(1);
  });

  it('ends a pitbull that keeps pushing on the flat no', async () => {
    const results: string[] = [];
    for (const s of scenarios) {
      const played = await pitbullRep(createOfflineBuyer({ random: () => 0 }), s);
      results.push(`${s.id}: ${played.state.outcome}`);
    }
    expect(results).toEqual(scenarios.map((s) => `${s.id}: no`));
  });
});
