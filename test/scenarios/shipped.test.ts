import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../src/domain/language.js';
import { formatProblem, loadScenarioFiles } from '../../src/scenarios/loader.js';
import type { Scenario } from '../../src/scenarios/schema.js';
import { analyzeBuyerTurn, analyzeRepTurn } from '../../src/text/analyze.js';
import { PROBES } from './probes.js';

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

let scenarios: Scenario[] = [];
const byId = (id: string) => {
  const found = scenarios.find((s) => s.id === id);
  if (!found) throw new Error(`shipped scenario ${id} is missing`);
  return found;
};
const conversations = () => scenarios.filter((s) => s.start === 'conversation');
const closeDrills = () => scenarios.filter((s) => s.start === 'close');

beforeAll(async () => {
  const result = await loadScenarioFiles([SCENARIOS_DIR]);
  expect(result.problems.map((p) => formatProblem(p))).toEqual([]);
  scenarios = result.scenarios;
});

describe('shipped scenarios', () => {
  it('are at least ten, with unique ids prefixed by their language', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
    for (const s of scenarios) expect(s.id.startsWith(`${s.language}-`), s.id).toBe(true);
  });

  it('cover every language at least twice, both kinds of sale and every difficulty', () => {
    for (const language of LANGUAGES) {
      expect(scenarios.filter((s) => s.language === language).length, language).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(scenarios.map((s) => s.sale))).toEqual(new Set(['simple', 'complex']));
    expect(new Set(scenarios.map((s) => s.difficulty))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('include close drills of both kinds of sale, in more than one language', () => {
    const drills = closeDrills();
    expect(drills.length).toBeGreaterThanOrEqual(2);
    expect(new Set(drills.map((s) => s.sale))).toEqual(new Set(['simple', 'complex']));
    expect(new Set(drills.map((s) => s.language)).size).toBeGreaterThanOrEqual(2);
    for (const s of drills) expect(s.close_summary?.length, s.id).toBeGreaterThan(200);
    for (const s of conversations()) expect(s.close_summary, s.id).toBeUndefined();
  });

  it('give each conversation 4-7 hidden facts of several kinds, 2-3 of them essential', () => {
    for (const s of conversations()) {
      expect(s.hidden_facts.length, s.id).toBeGreaterThanOrEqual(4);
      expect(s.hidden_facts.length, s.id).toBeLessThanOrEqual(7);
      expect(new Set(s.hidden_facts.map((f) => f.kind)).size, s.id).toBeGreaterThanOrEqual(4);
      const essential = s.hidden_facts.filter((f) => f.essential).length;
      expect(essential, s.id).toBeGreaterThanOrEqual(2);
      expect(essential, s.id).toBeLessThanOrEqual(3);
      // Harder facts need more trust, and every fact stays within reach.
      const trusts = s.hidden_facts.map((f) => f.min_trust);
      expect(new Set(trusts).size, s.id).toBeGreaterThanOrEqual(3);
      expect(Math.max(...trusts), s.id).toBeLessThanOrEqual(70);
    }
  });

  it('give close drills the facts the recap should cover, 2-3 of them essential', () => {
    for (const s of closeDrills()) {
      expect(s.hidden_facts.length, s.id).toBeGreaterThanOrEqual(4);
      const essential = s.hidden_facts.filter((f) => f.essential).length;
      expect(essential, s.id).toBeGreaterThanOrEqual(2);
      expect(essential, s.id).toBeLessThanOrEqual(3);
    }
  });

  it('use single lower-case keyword stems that do not fire on everyday words', () => {
    for (const s of scenarios) {
      const seen = new Map<string, string>();
      for (const f of s.hidden_facts) {
        const where = `${s.id}/${f.id}`;
        if (s.start === 'conversation') {
          expect(f.keywords.length, where).toBeGreaterThanOrEqual(5);
          expect(f.keywords.length, where).toBeLessThanOrEqual(12);
        }
        for (const k of f.keywords) {
          expect(k, where).toMatch(/^[\p{Ll}\p{N}-]{3,}$/u);
          const everyday = STOPWORDS[s.language].filter((w) => w.startsWith(k));
          expect(everyday, `${where}: "${k}"`).toEqual([]);
          expect(seen.get(k), `${where}: "${k}" is also a keyword of ${seen.get(k)}`).toBeUndefined();
          seen.set(k, f.id);
        }
      }
    }
  });

  it('let natural questions in the scenario language reach the facts (offline keyword matching)', () => {
    for (const [id, probes] of Object.entries(PROBES)) {
      const s = byId(id);
      for (const [question, factId] of probes) {
        expect(matchingFacts(s, question), `${id}: ${question}`).toContain(factId);
      }
    }
    // Every fact of every conversation is reachable by at least one probe.
    for (const s of scenarios) {
      const probed = new Set((PROBES[s.id] ?? []).map(([, factId]) => factId));
      expect([...probed].sort(), s.id).toEqual(s.hidden_facts.map((f) => f.id).sort());
    }
  });

  it('give the offline buyer several lines for each reaction and face-saving refusals', () => {
    for (const s of scenarios) {
      const { wrap_up, ...reactions } = s.offline.lines;
      for (const [reaction, lines] of Object.entries(reactions)) {
        expect(lines.length, `${s.id}: ${reaction}`).toBeGreaterThanOrEqual(2);
        expect(new Set(lines).size, `${s.id}: ${reaction}`).toBe(lines.length);
      }
      expect(wrap_up.length, s.id).toBeGreaterThan(10);
      expect(s.disguised_nos.length, s.id).toBeGreaterThanOrEqual(3);
      expect(s.objections.length, s.id).toBeGreaterThanOrEqual(2);
      expect(s.disguised_nos, s.id).not.toContain(s.flat_no);
    }
  });

  it('write refusals the coach recognises in their language, and no other line that reads as one', () => {
    // The metrics (disguisedNo, buyerFlatNo) read the buyer's words; the buyer's own authored refusals must count.
    const misses: string[] = [];
    for (const s of scenarios) {
      const lang = s.language as Language;
      for (const line of s.disguised_nos) {
        if (!analyzeBuyerTurn(line, lang).disguisedNo) misses.push(`${s.id} disguised no: ${line}`);
      }
      if (!analyzeBuyerTurn(s.flat_no, lang).flatNo) misses.push(`${s.id} flat no: ${s.flat_no}`);
      // Brushing the rep off is what wrap_up is for; nothing else the buyer says is a refusal.
      const { wrap_up: _wrapUp, ...reactions } = s.offline.lines;
      const others = [
        s.opening,
        s.earned_yes.line,
        ...s.hidden_facts.map((f) => f.reveal_line),
        ...Object.values(reactions).flat(),
      ];
      for (const line of others) {
        const a = analyzeBuyerTurn(line, lang);
        if (a.flatNo || a.disguisedNo) misses.push(`${s.id} reads as a no: ${line}`);
      }
      expect(analyzeBuyerTurn(s.offline.lines.wrap_up, lang).disguisedNo, `${s.id} wrap_up`).toBe(true);
    }
    expect(misses).toEqual([]);
  });

  it('brief the rep in two to four sentences', () => {
    for (const s of scenarios) {
      const sentences = s.brief.split(/(?<=[.!?])\s+(?=[\p{Lu}"(])/u).filter(Boolean);
      expect(sentences.length, `${s.id}: ${s.brief}`).toBeGreaterThanOrEqual(2);
      expect(sentences.length, `${s.id}: ${s.brief}`).toBeLessThanOrEqual(4);
    }
  });

  it('build the seed situations the product is about', () => {
    const naehh = byId('da-rekruttering-naehh');
    expect([naehh.flat_no, naehh.sale, naehh.start]).toEqual(['Næhh.', 'complex', 'conversation']);
    expect(naehh.difficulty).toBeGreaterThanOrEqual(4);
    expect(naehh.disguised_nos).toEqual(
      expect.arrayContaining(['Vi skal lige tænke over det.', 'Jeg tror, det bliver for dyrt for os.']),
    );

    const coldCall = byId('nl-koude-acquisitie-geen-interesse');
    expect(coldCall.flat_no).toBe('Wij hebben hiervoor geen interesse!');
    expect(coldCall.earned_yes.description).toContain('Zal ik dat voor u in orde maken?');

    const statusQuo = byId('sv-kopprocess-status-quo');
    expect(statusQuo.buying_process).toContain('60 procent');
    expect(statusQuo.hidden_facts.map((f) => f.kind)).toEqual(
      expect.arrayContaining(['workaround', 'status_quo', 'decision_group']),
    );
    expect(statusQuo.hidden_facts.find((f) => f.kind === 'status_quo')?.essential).toBe(true);

    const surge = byId('sv-nyarsnatt-prischock');
    expect([surge.sale, surge.earned_yes.kind]).toEqual(['simple', 'order']);
    expect(surge.offline.lines.pitch.join(' ')).toContain('tillgång och efterfrågan');

    const english = scenarios.filter((s) => s.language === 'en');
    expect(new Set(english.map((s) => s.sale))).toEqual(new Set(['simple', 'complex']));
  });
});

/**
 * The offline buyer's rule: a keyword is a lower-case prefix of a word in the rep's question, or the question asks
 * about the fact's kind (who decides, budget, what happens if nothing changes…).
 */
function matchingFacts(s: Scenario, question: string): string[] {
  // Same word shape as src/text/tokenize.ts: letters and digits with inner apostrophes and hyphens.
  const words =
    question
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? [];
  const topics: readonly string[] = analyzeRepTurn(question, s.language, []).discoveryTopics;
  return s.hidden_facts
    .filter((f) => f.keywords.some((k) => words.some((w) => w.startsWith(k))) || topics.includes(f.kind))
    .map((f) => f.id);
}

/** Words in nearly every question; a keyword that is a prefix of one would reveal its fact at random. */
const STOPWORDS: Record<Language, string[]> = {
  en: [
    'the',
    'and',
    'you',
    'your',
    'what',
    'how',
    'are',
    'does',
    'did',
    'can',
    'could',
    'would',
    'should',
    'that',
    'this',
    'there',
    'have',
    'has',
    'with',
    'for',
    'about',
    'tell',
    'our',
    'been',
    'any',
    'some',
    'just',
    'really',
    'like',
    'think',
    'know',
    'get',
    'got',
    'make',
    'right',
    'well',
    'okay',
    'now',
    'then',
    'more',
    'much',
    'many',
    'also',
    'feel',
    'maybe',
    'sure',
    'understand',
    'see',
  ],
  sv: [
    'och',
    'att',
    'det',
    'som',
    'är',
    'har',
    'hur',
    'vad',
    'ni',
    'era',
    'du',
    'dig',
    'din',
    'ditt',
    'oss',
    'vår',
    'kan',
    'skulle',
    'vill',
    'ska',
    'med',
    'för',
    'till',
    'inte',
    'men',
    'eller',
    'just',
    'där',
    'här',
    'när',
    'mycket',
    'lite',
    'också',
    'bara',
    'något',
    'någon',
    'några',
    'hade',
    'blir',
    'bli',
    'gör',
    'göra',
    'tycker',
    'tror',
    'låter',
    'egentligen',
    'själv',
    'självklart',
    'förstår',
    'alltså',
    'sedan',
    'sen',
  ],
  da: [
    'og',
    'at',
    'det',
    'der',
    'som',
    'er',
    'har',
    'hvad',
    'hvordan',
    'hvor',
    'jer',
    'jeres',
    'du',
    'dig',
    'din',
    'os',
    'vores',
    'kan',
    'kunne',
    'vil',
    'skal',
    'med',
    'for',
    'til',
    'ikke',
    'men',
    'eller',
    'lige',
    'når',
    'meget',
    'lidt',
    'også',
    'bare',
    'noget',
    'nogen',
    'nogle',
    'havde',
    'bliver',
    'blive',
    'gør',
    'gøre',
    'synes',
    'tror',
    'godt',
    'mere',
    'selvfølgelig',
    'sådan',
    'forstår',
    'egentlig',
    'altså',
  ],
  nl: [
    'de',
    'het',
    'een',
    'en',
    'van',
    'is',
    'zijn',
    'hebben',
    'heeft',
    'heb',
    'wat',
    'hoe',
    'jullie',
    'jij',
    'je',
    'jouw',
    'uw',
    'we',
    'wij',
    'ons',
    'onze',
    'kan',
    'kunnen',
    'zou',
    'zouden',
    'wil',
    'willen',
    'moet',
    'moeten',
    'met',
    'voor',
    'op',
    'naar',
    'over',
    'aan',
    'bij',
    'niet',
    'maar',
    'dan',
    'nog',
    'ook',
    'wel',
    'even',
    'dat',
    'die',
    'dit',
    'er',
    'eigenlijk',
    'misschien',
    'gaat',
    'doen',
    'doet',
    'vindt',
    'denkt',
    'graag',
    'precies',
    'mee',
    'echt',
    'allemaal',
    'zelf',
    'zelfs',
    'begrijp',
  ],
};
