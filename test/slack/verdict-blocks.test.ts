import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/coach/metrics.js';
import { offlineFeedback } from '../../src/coach/offline-coach.js';
import type { Language } from '../../src/domain/language.js';
import type { Transcript } from '../../src/domain/transcript.js';
import { MESSAGES } from '../../src/i18n/messages.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { FEEDBACK_BLOCK_IDS, fairContext, feedbackCard } from '../../src/slack/blocks/feedback.js';
import type { KnownBlock } from '../../src/slack/blocks/kit.js';
import { agreementText, type HomeData, homeView } from '../../src/slack/views/home.js';
import {
  CORRECTION_FIELDS,
  readCorrectionForm,
  verdictModalView,
} from '../../src/slack/views/verdict-modal.js';

const samples: Array<Transcript & { id: string }> = readFileSync(
  new URL('../../../shared/transcripts/samples.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

/** Every text in the blocks, nested ones included (context elements, fields, buttons, options). */
const allText = (blocks: unknown): string => {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'text' && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  walk(blocks);
  return out.join('\n');
};

const card = (language: Language, fallback: boolean, sessionId?: string) => {
  const sample = samples.find((s) => s.language === language)!;
  const feedback = offlineFeedback(sample, computeMetrics(sample));
  return feedbackCard({
    t: MESSAGES[language],
    feedback: fallback
      ? { ...feedback, fallback: { code: 'llm_timeout', reason: 'The model did not answer in time' } }
      : feedback,
    outcome: 'open',
    scenarioId: 'x-scenario',
    buyerName: 'B',
    roles: sample.turns.map((t) => t.role),
    links: new Map(),
    ...(sessionId ? { sessionId } : {}),
  });
};

describe('the feedback card says "offline" once', () => {
  for (const language of ['en', 'sv', 'da', 'nl'] as const) {
    it(`${language}: the offline coach's card, and the card after the model coach failed`, () => {
      for (const fallback of [false, true]) {
        const text = allText(card(language, fallback, 's-1'));
        expect(text.match(/offline/gi) ?? [], `${language} fallback=${fallback}`).toHaveLength(1);
        // …right under the verdict, in the card's own words.
        const notice = fallback ? MESSAGES[language].coachFallback : MESSAGES[language].coachOffline;
        expect(allText(card(language, fallback).slice(1, 2))).toContain(notice);
      }
    });
  }

  it('leaves a model coach’s summary as it is', () => {
    const sample = samples[0]!;
    const feedback = {
      ...offlineFeedback(sample, computeMetrics(sample)),
      mode: 'llm' as const,
      summary: `First point.\n\n${MESSAGES.en.coachOffline}  kept`,
    };
    const blocks = feedbackCard({
      t: MESSAGES.en,
      feedback,
      outcome: null,
      scenarioId: 'x-scenario',
      buyerName: null,
      roles: sample.turns.map((t) => t.role),
      links: new Map(),
    });
    expect(allText(blocks)).toContain(`First point.\n\n${MESSAGES.en.coachOffline}  kept`);
  });

  it('keeps the rest of the offline summary', () => {
    const text = allText(card('en', false));
    expect(text).toMatch(/Verdict: \w+\./);
    expect(text).toMatch(/\d+ discovery questions?/);
  });
});

describe('"Was this fair?" and the correction menu on the card', () => {
  const actionsBlock = (blocks: KnownBlock[]) =>
    blocks.find((b) => b.block_id === FEEDBACK_BLOCK_IDS.verdictActions) as
      | { elements: Array<Record<string, unknown>> }
      | undefined;

  it('offers 👍 / 👎 with the session id, and the ⋯ menu with "Correct the verdict"', () => {
    const blocks = card('sv', false, 'sess-42');
    const prompt = blocks.find((b) => b.block_id === FEEDBACK_BLOCK_IDS.fair);
    expect(allText(prompt)).toBe(MESSAGES.sv.fairPrompt);
    const elements = actionsBlock(blocks)!.elements;
    expect(elements.map((e) => [e.action_id, e.value])).toEqual([
      [ACTION_IDS.verdictFair, 'sess-42'],
      [ACTION_IDS.verdictUnfair, 'sess-42'],
      [ACTION_IDS.verdictCorrect, undefined],
    ]);
    expect(elements[2]).toMatchObject({
      type: 'overflow',
      options: [{ text: { text: MESSAGES.sv.correctVerdictMenu }, value: 'sess-42' }],
    });
  });

  it('has neither without a stored session (e.g. a card rendered for a transcript)', () => {
    const blocks = card('en', false);
    expect(actionsBlock(blocks)).toBeUndefined();
    expect(blocks.some((b) => b.block_id === FEEDBACK_BLOCK_IDS.fair)).toBe(false);
  });

  it('says who answered what once answered', () => {
    expect(allText(fairContext(MESSAGES.da, { fair: false, userId: 'UREP' }))).toBe(
      MESSAGES.da.fairAnsweredNo.replace('{user}', '<@UREP>'),
    );
    expect(allText(fairContext(MESSAGES.en, { fair: true, userId: 'UREP' }))).toContain('<@UREP> found');
  });
});

describe('App Home: confirmations, thread links, corrections and agreement', () => {
  const at = new Date('2025-03-17T09:00:00Z');
  const data = (): HomeData => ({
    mode: 'offline',
    recent: [
      {
        id: 's1',
        scenarioId: 'x',
        title: 'A | B',
        userId: 'UREP',
        status: 'ended',
        verdict: 'mixed',
        drillId: null,
        channelId: 'C1',
        threadTs: '1700000000.000100',
        createdAt: at,
        link: 'https://test.slack.com/archives/C1/p1700000000000100',
        outcome: 'next_step',
        correction: { managerId: 'UMGR', verdict: 'connected' },
        fair: false,
      },
    ],
    verdicts: ['mixed'],
    scenarios: [],
    manager: {
      team: [],
      drills: [
        {
          drill: {
            id: 'dk7m2qx',
            teamId: 'T1',
            channelId: 'CTEAM',
            scenarioId: 'x',
            publicAttempts: false,
            weekday: 1,
            time: '09:00',
            timeZone: 'Europe/Stockholm',
            createdBy: 'UMGR',
            createdAt: at,
            stoppedAt: null,
            stoppedBy: null,
          },
          title: 'X',
          next: at,
        },
      ],
      stored: [{ id: 'x-one', title: 'One', revision: 1, updatedBy: 'UMGR', updatedAt: at, retired: false }],
      usage: {
        since: at,
        rows: [],
        total: {
          label: 'Total',
          sessions: 0,
          inputTokens: 0,
          cachedInputTokens: 0,
          outputTokens: 0,
          cost: 0,
          approximate: false,
        },
      },
      agreement: { n: 4, agreed: 3, fair: 2, unfair: 1 },
    },
  });

  const accessories = (blocks: readonly unknown[]) =>
    blocks.flatMap((b) => {
      const accessory = (b as { accessory?: Record<string, unknown> }).accessory;
      return accessory ? [accessory] : [];
    });

  it('asks for confirmation before Stop and Retire', () => {
    const buttons = accessories(homeView(data()).blocks);
    const stop = buttons.find((b) => b.action_id === ACTION_IDS.drillStop);
    const retire = buttons.find((b) => b.action_id === ACTION_IDS.scenarioRetire);
    expect(stop?.confirm).toEqual({
      title: { type: 'plain_text', text: 'Stop this drill?' },
      text: { type: 'mrkdwn', text: MESSAGES.en.confirmStopText },
      confirm: { type: 'plain_text', text: 'Stop the drill' },
      deny: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
    });
    expect(retire?.confirm).toMatchObject({
      title: { text: 'Retire this scenario?' },
      confirm: { text: 'Retire it' },
      style: 'danger',
    });
  });

  it('links each session to its thread and shows outcome, correction and the rep’s answer', () => {
    const text = allText(homeView(data()).blocks);
    expect(text).toContain('*<https://test.slack.com/archives/C1/p1700000000000100|A ¦ B>*');
    expect(text).toContain('🟡 mixed → ✏️ corrected by <@UMGR>: 🟢 connected · next step · rep: not fair');
  });

  it('shows the agreement of the coach with the managers this month', () => {
    expect(agreementText({ n: 4, agreed: 3, fair: 2, unfair: 1 })).toBe(
      'Corrected sessions: 4. The coach had the same verdict in 3 (75%).\nReps this month: 👍 fair 2, 👎 not fair 1.',
    );
    expect(agreementText({ n: 0, agreed: 0, fair: 0, unfair: 0 })).toBe(MESSAGES.en.homeAgreementNone);
    expect(allText(homeView(data()).blocks)).toContain('*Coach and managers this month*');
  });
});

describe('the correction modal', () => {
  it('fits Slack’s limits in every language and carries its session', () => {
    for (const language of ['en', 'sv', 'da', 'nl'] as const) {
      const view = verdictModalView({ t: MESSAGES[language], sessionId: 's-9', coachVerdict: 'script' });
      expect(view.title.text.length, language).toBeLessThanOrEqual(24);
      expect(view.submit!.text.length).toBeLessThanOrEqual(24);
      expect(view.close!.text.length).toBeLessThanOrEqual(24);
      expect(JSON.parse(view.private_metadata!)).toEqual({ sessionId: 's-9' });
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      const selects = view.blocks.flatMap((b) => {
        const element = (b as { element?: { options?: Array<{ text: { text: string } }> } }).element;
        return element?.options ?? [];
      });
      expect(selects.length).toBeGreaterThan(10);
      for (const o of selects) {
        expect(o.text.text.length).toBeLessThanOrEqual(75);
        expect(o.text.text).not.toMatch(/…$/);
      }
      // Only the verdict is required.
      const inputs = view.blocks.filter((b) => b.type === 'input');
      expect(inputs.filter((b) => !('optional' in b && b.optional)).map((b) => b.block_id)).toEqual([
        CORRECTION_FIELDS.verdict,
      ]);
    }
  });

  const v = (o: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(o).map(([block, value]) => [
        block,
        {
          value: ['note', 'close_attempts', 'discovery_questions'].includes(block)
            ? { value }
            : { selected_option: { value } },
        },
      ]),
    );

  it('reads the verdict, the label fields that were filled in, and the note', () => {
    expect(
      readCorrectionForm(
        v({
          verdict: 'connected',
          discovery_questions: '4',
          recap_before_final_close: 'yes',
          disguised_no: 'no',
          outcome: 'next_step',
          note: '  Good  ',
        }),
        MESSAGES.en,
      ),
    ).toEqual({
      ok: true,
      verdict: 'connected',
      labels: {
        discovery_questions: 4,
        recap_before_final_close: true,
        disguised_no: false,
        outcome: 'next_step',
      },
      note: 'Good',
    });
    expect(readCorrectionForm(v({ verdict: 'mixed', note: ' ' }), MESSAGES.en)).toEqual({
      ok: true,
      verdict: 'mixed',
      labels: {},
      note: null,
    });
  });

  it('names what is wrong, on its input, in the session’s language', () => {
    expect(readCorrectionForm(v({ close_attempts: '-1', outcome: 'maybe' }), MESSAGES.nl)).toEqual({
      ok: false,
      errors: {
        verdict: MESSAGES.nl.correctionVerdict,
        close_attempts: MESSAGES.nl.correctionNotANumber,
        outcome: MESSAGES.nl.correctionUnset,
      },
    });
  });
});

describe('the correction modal on a second look', () => {
  it('starts from the latest correction, and submitting it unchanged gives the same correction back', () => {
    const current = {
      verdict: 'script' as const,
      labels: {
        close_attempts: 2,
        buyer_flat_no: false,
        final_close_type: 'order' as const,
        outcome: 'no' as const,
      },
      note: 'Closed twice.',
    };
    const view = verdictModalView({ t: MESSAGES.da, sessionId: 's-1', coachVerdict: 'mixed', current });
    // What Slack submits for an untouched modal: each input's initial value.
    const values = Object.fromEntries(
      view.blocks.flatMap((b) => {
        const e = (b as { element?: Record<string, unknown> }).element;
        if (!e || b.type !== 'input') return [];
        const option = e.initial_option as { value: string } | undefined;
        const value = e.initial_value as string | undefined;
        if (!option && value === undefined) return [];
        return [[b.block_id!, { value: option ? { selected_option: { value: option.value } } : { value } }]];
      }),
    );
    expect(Object.keys(values).sort()).toEqual(
      ['buyer_flat_no', 'close_attempts', 'final_close_type', 'note', 'outcome', 'verdict'].sort(),
    );
    expect(readCorrectionForm(values, MESSAGES.da)).toEqual({ ok: true, ...current });
    // Without a correction yet, nothing is filled in.
    const fresh = verdictModalView({ t: MESSAGES.da, sessionId: 's-1', coachVerdict: 'mixed' });
    expect(JSON.stringify(fresh.blocks)).not.toMatch(/initial_/);
  });
});
