import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOfflineBuyer } from '../../src/buyer/offline-buyer.js';
import { formatProblem, loadScenarioFiles } from '../../src/scenarios/loader.js';
import type { Scenario } from '../../src/scenarios/schema.js';
import { connectedRep, pitbullRep } from './reps.js';

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
let scenarios: Scenario[] = [];

beforeAll(async () => {
  const result = await loadScenarioFiles([SCENARIOS_DIR]);
  expect(result.problems.map((p) => formatProblem(p))).toEqual([]);
  scenarios = result.scenarios;
});

/** Seeds 000-003 in one check per shipped scenario: the offline buyer is hard to win, and fair. */
describe('every shipped buyer, offline', () => {
  it('gives a connected rep the earned yes of its kind', async () => {
    const results: string[] = [];
    for (const s of scenarios) {
      const played = await connectedRep(createOfflineBuyer({ random: () => 0 }), s);
      const won = played.state.outcome === (s.earned_yes.kind === 'order' ? 'yes' : 'next_step');
      results.push(
        `${s.id}: ${won ? 'won' : `not won (${played.state.outcome}, trust ${played.state.trust}, last: ${played.buyer.at(-1)})`}`,
      );
    }
    expect(results).toEqual(scenarios.map((s) => `${s.id}: won`));
  });

  it('never says yes to a pitbull, and ends on the flat no', async () => {
    const results: string[] = [];
    for (const s of scenarios) {
      const played = await pitbullRep(createOfflineBuyer({ random: () => 0 }), s);
      results.push(`${s.id}: ${played.state.outcome}`);
    }
    expect(results).toEqual(scenarios.map((s) => `${s.id}: no`));
  });
});
