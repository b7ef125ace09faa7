import { describe, expect, it } from 'vitest';
import { editDistance, nearestIds } from '../../src/scenarios/nearest.js';

const SHIPPED = [
  'da-afslutning-arbejdsgruppe',
  'da-rekruttering-naehh',
  'da-vaerksted-onlinebooking',
  'en-close-shredding-order',
  'en-florist-card-readers',
  'en-seasoned-buyer-closing',
  'nl-afsluiten-telefoonservice',
  'nl-koude-acquisitie-geen-interesse',
  'nl-netcongestie-zonnepanelen',
  'sv-avslut-ledningsgrupp',
  'sv-kopprocess-status-quo',
  'sv-nyarsnatt-prischock',
];

describe('editDistance', () => {
  it.each([
    ['florist', 'florist', 0],
    ['florsit', 'florist', 1], // transposition
    ['flrist', 'florist', 1], // deletion
    ['floorist', 'florist', 1], // insertion
    ['flerist', 'florist', 1], // substitution
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i', (a, b, n) => {
    expect(editDistance(a, b)).toBe(n);
    expect(editDistance(b, a)).toBe(n);
  });
});

describe('nearestIds', () => {
  it.each([
    ['en-florist-card-reader', 'en-florist-card-readers'],
    ['en-florsit-card-readers', 'en-florist-card-readers'],
    ['en-flroist-crad-readers', 'en-florist-card-readers'],
    ['florist-card-readers', 'en-florist-card-readers'],
    ['sv-kopprocess-statusquo', 'sv-kopprocess-status-quo'],
    ['da-rekrutering-naeh', 'da-rekruttering-naehh'],
    ['EN-FLORIST-CARD-READERS ', 'en-florist-card-readers'],
  ])('a typo "%s" suggests %s first', (typed, expected) => {
    expect(nearestIds(typed, SHIPPED)[0]).toBe(expected);
  });

  it('a prefix suggests the ids it starts, at most three, in order', () => {
    expect(nearestIds('nl-', SHIPPED)).toEqual([
      'nl-afsluiten-telefoonservice',
      'nl-koude-acquisitie-geen-interesse',
      'nl-netcongestie-zonnepanelen',
    ]);
    expect(nearestIds('florist', SHIPPED)).toEqual(['en-florist-card-readers']);
    expect(nearestIds('sv-', SHIPPED, 5)).toHaveLength(3);
  });

  it('a part of an id suggests it', () => {
    expect(nearestIds('shredding', SHIPPED)).toEqual(['en-close-shredding-order']);
  });

  it('suggests nothing for what is not close to any id', () => {
    expect(nearestIds('nope-nope', SHIPPED)).toEqual([]);
    expect(nearestIds('fleet-telematics', SHIPPED)).toEqual([]);
    expect(nearestIds('xy', SHIPPED)).toEqual([]);
    expect(nearestIds('en-florist-card-readers', [])).toEqual([]);
  });
});
