import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { createCatalog } from '../../src/scenarios/catalog.js';
import { loadScenarioFiles } from '../../src/scenarios/loader.js';
import type { Scenario } from '../../src/scenarios/schema.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/scenarios/good/', import.meta.url));

let simple: Scenario;
let close: Scenario;

beforeAll(async () => {
  const { scenarios, problems } = await loadScenarioFiles([FIXTURES]);
  expect(problems).toEqual([]);
  simple = scenarios.find((s) => s.id === 'fx-good-simple')!;
  close = scenarios.find((s) => s.id === 'fx-good-close')!;
});

const variant = (s: Scenario, id: string, language: Scenario['language']): Scenario => ({
  ...s,
  id,
  language,
});

describe('createCatalog', () => {
  it('lists scenarios by language, then id, without exposing its own array', () => {
    const input = [close, variant(simple, 'b-en', 'en'), simple, variant(close, 'a-da', 'da')];
    const catalog = createCatalog(input);
    expect(catalog.all().map((s) => `${s.language}:${s.id}`)).toEqual([
      'da:a-da',
      'en:b-en',
      'en:fx-good-simple',
      'sv:fx-good-close',
    ]);
    catalog.all().pop();
    expect(catalog.all()).toHaveLength(4);
    expect(input[0]).toBe(close); // the caller's array is not sorted in place
  });

  it('finds by id', () => {
    const catalog = createCatalog([simple, close]);
    expect(catalog.get('fx-good-close')).toBe(close);
    expect(catalog.get('nope')).toBeUndefined();
    expect(catalog.require('fx-good-simple')).toBe(simple);
  });

  it('require() names the known ids when the id is unknown', () => {
    const catalog = createCatalog([simple, close]);
    let caught: unknown;
    try {
      catalog.require('da-nope');
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'scenario_not_found')).toBe(true);
    expect((caught as Error).message).toBe(
      'Unknown scenario "da-nope". Known scenarios: fx-good-simple, fx-good-close.',
    );
    expect(() => createCatalog([]).require('x')).toThrow('Unknown scenario "x": no scenarios are loaded.');
  });

  it('summarises without hidden facts, with the persona in the scenario language', () => {
    expect(createCatalog([simple, close]).summaries()).toEqual([
      {
        id: 'fx-good-simple',
        title: 'Fixture buyer for a simple sale',
        language: 'en',
        sale: 'simple',
        difficulty: 2,
        start: 'conversation',
        persona: "Sam Lee, owner at Lee's Bakery",
      },
      {
        id: 'fx-good-close',
        title: 'Avslutsövning för tester',
        language: 'sv',
        sale: 'complex',
        difficulty: 3,
        start: 'close',
        persona: 'Roger Engström, fastighetschef på Bostads AB Test',
      },
    ]);
  });

  it('refuses duplicate ids, which the loader would have reported', () => {
    expect(() => createCatalog([simple, { ...close, id: simple.id }])).toThrow(/Duplicate scenario id/);
  });
});
