import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatFeedback } from '../../src/cli/format.js';
import { createCoach } from '../../src/coach/coach.js';
import { FeedbackSchema, type Metrics } from '../../src/coach/feedback.js';
import {
  createLlmRubric,
  metricsWithReadings,
  type Rubric,
  RubricSchema,
} from '../../src/coach/llm-coach.js';
import type { Transcript } from '../../src/domain/transcript.js';
import { AppError, isAppError } from '../../src/errors.js';
import { MESSAGES } from '../../src/i18n/messages.js';
import { createFakeLlm, fixtureScenario, shippedPrompts, silentLogger } from '../fixtures/llm/helpers.js';

const transcript: Transcript = {
  language: 'sv',
  sale: 'complex',
  turns: [
    { role: 'rep', text: 'Hej Anna! Vi har Sveriges bästa lönesystem. Ska vi boka en demo på torsdag?' },
    { role: 'buyer', text: 'Vi måste nog fundera på det. Det blir nog för dyrt för oss.' },
    { role: 'rep', text: 'Jag förstår. Vad gör ni i dag när lönerna ska ut – hur går det till?' },
    { role: 'buyer', text: 'Ekonomichefen gör det i Excel. Det funkar… för det mesta.' },
  ],
};

const metrics: Metrics = {
  repWordShare: 0.55,
  repQuestions: 2,
  discoveryQuestions: 1,
  longestRepTurnWords: 13,
  closeAttempts: 1,
  finalCloseType: 'next_step',
  recapBeforeClose: false,
  addedArgumentAfterClose: false,
  pitchedBeforeDiscovery: true,
  buyerFlatNo: false,
  disguisedNo: true,
};

const readings: Rubric['readings'] = {
  close_attempts: 1,
  final_close_type: 'next_step',
  recap_before_final_close: false,
  added_argument_after_close: false,
  pitched_before_discovery: true,
  buyer_flat_no: false,
  disguised_no: true,
};

const rubric = (over: Partial<Rubric> = {}): Rubric => ({
  readings,
  dimensions: {
    close: {
      score: 1,
      comment: 'Demo före frågor.',
      evidence: [
        { turn: 0, quote: 'Ska vi boka en demo på torsdag?' }, // verbatim
        { turn: 0, quote: 'Ska vi boka ett möte på torsdag?' }, // not said
      ],
    },
    discovery: {
      score: 2,
      comment: 'En fråga, sent.',
      evidence: [{ turn: 2, quote: 'Vad gör ni i dag när lönerna ska ut - hur går det till?' }], // dash folded
    },
    listening: {
      score: 2,
      comment: '"för det mesta" missades.',
      evidence: [
        { turn: 3, quote: 'Det funkar… för det mesta.' },
        { turn: 9, quote: 'Det funkar' }, // no such turn
      ],
    },
    handling_no: {
      score: 3,
      comment: 'Gick tillbaka till situationen.',
      evidence: [{ turn: 1, quote: 'Vi måste fundera på det.' }], // words left out
    },
  },
  verdict: 'mixed',
  summary: ' Du började med en pitch men gick sedan tillbaka till Annas situation. ',
  nextTime: 'Fråga först hur lönerna görs i dag, innan du nämner en demo.',
  ...over,
});

describe('createLlmRubric', () => {
  it('keeps verbatim quotes, drops the rest, and orders the dimensions', async () => {
    const llm = createFakeLlm([rubric()]);
    const coach = createLlmRubric({ llm, prompts: await shippedPrompts(), logger: silentLogger });
    const { feedback, usage } = await coach.assess(transcript, metrics);

    expect(feedback.dimensions.map((d) => d.id)).toEqual(['discovery', 'listening', 'handling_no', 'close']);
    const evidence = Object.fromEntries(feedback.dimensions.map((d) => [d.id, d.evidence]));
    expect(evidence.close).toEqual([{ turn: 0, quote: 'Ska vi boka en demo på torsdag?' }]);
    // Shown as the transcript has it, with its own dash.
    expect(evidence.discovery).toEqual([
      { turn: 2, quote: 'Vad gör ni i dag när lönerna ska ut – hur går det till?' },
    ]);
    expect(evidence.listening).toEqual([{ turn: 3, quote: 'Det funkar… för det mesta.' }]);
    expect(evidence.handling_no).toEqual([]);

    expect(feedback).toMatchObject({
      verdict: 'mixed',
      mode: 'llm',
      summary: 'Du började med en pitch men gick sedan tillbaka till Annas situation.',
      nextTime: 'Fråga först hur lönerna görs i dag, innan du nämner en demo.',
    });
    // The readings agree with the rules here, so the metrics are the same figures.
    expect(feedback.metrics).toEqual(metrics);
    expect(usage).toEqual({ inputTokens: 1000, cachedInputTokens: 0, outputTokens: 50 });
  });

  it('makes a missing dimension impossible by schema: all four are required properties', () => {
    const json = z.toJSONSchema(RubricSchema) as unknown as {
      properties: { dimensions: { required: string[]; additionalProperties: boolean } };
    };
    expect(json.properties.dimensions.required).toEqual(['discovery', 'listening', 'handling_no', 'close']);
    expect(json.properties.dimensions.additionalProperties).toBe(false);
    const { listening: _, ...three } = rubric().dimensions;
    expect(RubricSchema.safeParse({ ...rubric(), dimensions: three }).success).toBe(false);
  });

  it('fails with llm_bad_output, naming the dimension, when an Llm that does not validate leaves one out', async () => {
    const { listening: _, ...three } = rubric().dimensions;
    const coach = createLlmRubric({
      llm: createFakeLlm([{ ...rubric(), dimensions: three }]),
      prompts: await shippedPrompts(),
      logger: silentLogger,
    });
    const err = await coach.assess(transcript, metrics).catch((e: unknown) => e);
    expect(isAppError(err, 'llm_bad_output')).toBe(true);
    expect((err as Error).message).toContain('dimensions.listening');
  });

  it("reports the model's reading of the label fields in metrics; the counts stay code's", async () => {
    const llm = createFakeLlm([
      rubric({
        readings: {
          ...readings,
          close_attempts: 4,
          final_close_type: 'order',
          recap_before_final_close: true,
          added_argument_after_close: true,
          pitched_before_discovery: false,
          buyer_flat_no: true,
          disguised_no: false,
        },
      }),
    ]);
    const coach = createLlmRubric({ llm, prompts: await shippedPrompts(), logger: silentLogger });
    const { feedback } = await coach.assess(transcript, metrics);
    expect(feedback.metrics).toEqual({
      repWordShare: 0.55,
      repQuestions: 2,
      discoveryQuestions: 1,
      longestRepTurnWords: 13,
      closeAttempts: 4,
      finalCloseType: 'order',
      recapBeforeClose: true,
      addedArgumentAfterClose: true,
      pitchedBeforeDiscovery: false,
      buyerFlatNo: true,
      disguisedNo: false,
    });
  });

  it('reads no close as no close: no close type, no recap, no argument after it', () => {
    const read = metricsWithReadings(metrics, {
      ...readings,
      close_attempts: 0,
      final_close_type: 'next_step',
      recap_before_final_close: true,
      added_argument_after_close: true,
    });
    expect(read).toMatchObject({
      closeAttempts: 0,
      finalCloseType: 'none',
      recapBeforeClose: false,
      addedArgumentAfterClose: false,
    });
  });

  it("gives the rules' figures as hints that can be wrong, and code's counts as measured", async () => {
    const llm = createFakeLlm([rubric()]);
    const coach = createLlmRubric({ llm, prompts: await shippedPrompts(), logger: silentLogger });
    await coach.assess(transcript, metrics);
    const user = llm.requests[0]!.messages[1]!.content;
    const hints = user.slice(user.indexOf('## Hints from simple rules'), user.indexOf('## Transcript'));
    expect(hints).toContain('can be wrong');
    expect(hints).toContain('- close_attempts: 1');
    expect(hints).toContain('- pitched_before_discovery: true');
    expect(hints).not.toContain('repWordShare');
    const measured = user.slice(user.indexOf('## Measured by code'), user.indexOf('## Hints'));
    expect(measured).toContain('repWordShare');
    expect(measured).not.toContain('close_attempts');
    expect(user).not.toContain('facts');
  });

  it("puts a close drill's summary in the prompt as the conversation so far", async () => {
    const llm = createFakeLlm([rubric(), rubric()]);
    const coach = createLlmRubric({ llm, prompts: await shippedPrompts(), logger: silentLogger });
    const scenario = fixtureScenario('catering-close-da.yaml');
    await coach.assess({ turns: transcript.turns }, metrics, scenario);
    const user = llm.requests[0]!.messages[1]!.content;
    const soFar = user.slice(user.indexOf('## The conversation so far'), user.indexOf('## Measured'));
    expect(soFar).toContain('close drill');
    expect(soFar).toContain('> Mette har fortalt, at maden kom en time for sent sidste år');
    expect(soFar).toContain("judge the rep's recap against it");

    await coach.assess(transcript, metrics, fixtureScenario('fleet-complex.yaml'));
    const plain = llm.requests[1]!.messages[1]!.content;
    expect(plain).toContain('None: the transcript below is the whole conversation.');
  });

  it("passes the transcript's language, sale, metrics and numbered turns to the prompt", async () => {
    const llm = createFakeLlm([rubric()]);
    const coach = createLlmRubric({ llm, prompts: await shippedPrompts(), logger: silentLogger });
    await coach.assess(transcript, metrics);
    const [system, user] = llm.requests[0]!.messages;
    expect(llm.requests[0]).toMatchObject({ purpose: 'coach', schemaName: 'coach_rubric' });
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('handling_no');
    expect(user!.content).toContain('Language of the conversation: Swedish (svenska, sv)');
    expect(user!.content).toContain('Kind of sale: complex');
    expect(user!.content).toContain('- pitched_before_discovery: true');
    expect(user!.content).toContain(
      '### Turn 3 (buyer)\n\nEkonomichefen gör det i Excel. Det funkar… för det mesta.',
    );
    expect(user!.content).toContain('None given');
  });

  it("falls back to the scenario's language and sale, and shows what there was to uncover", async () => {
    const llm = createFakeLlm([rubric()]);
    const coach = createLlmRubric({ llm, prompts: await shippedPrompts(), logger: silentLogger });
    const scenario = fixtureScenario('catering-close-da.yaml');
    await coach.assess({ turns: transcript.turns }, metrics, scenario);
    const user = llm.requests[0]!.messages[1]!.content;
    expect(user).toContain('Danish (dansk, da)');
    expect(user).toContain('Kind of sale: simple');
    expect(user).toContain('Sidste år kom maden en time for sent');
  });

  it('keeps the system prompt identical across transcripts, so the rubric is cached', async () => {
    const llm = createFakeLlm([rubric(), rubric()]);
    const coach = createLlmRubric({ llm, prompts: await shippedPrompts(), logger: silentLogger });
    await coach.assess(transcript, metrics);
    await coach.assess({ language: 'nl', turns: [{ role: 'rep', text: 'Goedemiddag.' }] }, metrics);
    expect(llm.requests[1]!.messages[0]).toEqual(llm.requests[0]!.messages[0]);
    expect(llm.requests[1]!.messages[1]!.content).toContain('Dutch (Nederlands, nl)');
  });
});

describe('createCoach with a model', () => {
  const failing = (err: Error) => createFakeLlm([err]);

  it("labels a fallback: mode offline, the failure's code and reason, and a notice in the scenario's language", async () => {
    const prompts = await shippedPrompts();
    const llm = failing(
      new AppError('llm_bad_output', 'The model m gave no usable coach_rubric after 2 tries'),
    );
    const coach = createCoach({
      rubric: createLlmRubric({ llm, prompts, logger: silentLogger }),
      logger: silentLogger,
      fallbackToOffline: true,
    });
    const { feedback, usage } = await coach.evaluate(transcript);
    expect(feedback.mode).toBe('offline');
    expect(feedback.fallback).toEqual({
      code: 'llm_bad_output',
      reason: 'The model m gave no usable coach_rubric after 2 tries',
    });
    expect(FeedbackSchema.parse(feedback).fallback?.code).toBe('llm_bad_output');
    expect(usage).toBeNull();
    const text = formatFeedback(feedback, { language: 'sv', turns: transcript.turns });
    const lines = text.split('\n');
    expect(lines[1]).toBe(`⚠ ${MESSAGES.sv.coachFallback}`);
    expect(text).not.toContain(MESSAGES.sv.coachOffline);
  });

  it('says nothing of a fallback when the model coach answers', async () => {
    const coach = createCoach({
      rubric: createLlmRubric({
        llm: createFakeLlm([rubric()]),
        prompts: await shippedPrompts(),
        logger: silentLogger,
      }),
      logger: silentLogger,
      fallbackToOffline: true,
    });
    const { feedback } = await coach.evaluate(transcript);
    expect(feedback.mode).toBe('llm');
    expect(feedback).not.toHaveProperty('fallback');
  });

  it("gives the rubric a close drill's summary when it coaches a session on that scenario", async () => {
    const llm = createFakeLlm([rubric()]);
    const coach = createCoach({
      rubric: createLlmRubric({ llm, prompts: await shippedPrompts(), logger: silentLogger }),
      logger: silentLogger,
    });
    await coach.evaluate({ turns: transcript.turns }, fixtureScenario('catering-close-da.yaml'));
    expect(llm.requests[0]!.messages[1]!.content).toContain('> Mette har fortalt');
  });
});
