import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/coach/feedback.js';
import { createLlmRubric, type Rubric, RubricSchema } from '../../src/coach/llm-coach.js';
import type { Transcript } from '../../src/domain/transcript.js';
import { isAppError } from '../../src/errors.js';
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

const rubric = (over: Partial<Rubric> = {}): Rubric => ({
  dimensions: [
    {
      id: 'close',
      score: 1,
      comment: 'Demo före frågor.',
      evidence: [
        { turn: 0, quote: 'Ska vi boka en demo på torsdag?' }, // verbatim
        { turn: 0, quote: 'Ska vi boka ett möte på torsdag?' }, // not said
      ],
    },
    {
      id: 'discovery',
      score: 2,
      comment: 'En fråga, sent.',
      evidence: [{ turn: 2, quote: 'Vad gör ni i dag när lönerna ska ut - hur går det till?' }], // dash folded
    },
    {
      id: 'listening',
      score: 2,
      comment: '"för det mesta" missades.',
      evidence: [
        { turn: 3, quote: 'Det funkar… för det mesta.' },
        { turn: 9, quote: 'Det funkar' }, // no such turn
      ],
    },
    {
      id: 'handling_no',
      score: 3,
      comment: 'Gick tillbaka till situationen.',
      evidence: [{ turn: 1, quote: 'Vi måste fundera på det.' }], // words left out
    },
  ],
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
    expect(feedback.metrics).toEqual(metrics);
    expect(usage).toEqual({ inputTokens: 1000, cachedInputTokens: 0, outputTokens: 50 });
  });

  it('fails with llm_bad_output when a dimension is missing', async () => {
    const incomplete = rubric();
    incomplete.dimensions = incomplete.dimensions.filter((d) => d.id !== 'listening');
    const coach = createLlmRubric({
      llm: createFakeLlm([incomplete]),
      prompts: await shippedPrompts(),
      logger: silentLogger,
    });
    const err = await coach.assess(transcript, metrics).catch((e: unknown) => e);
    expect(isAppError(err, 'llm_bad_output')).toBe(true);
    expect((err as Error).message).toContain('listening');
  });

  it('fails with llm_bad_output when a dimension appears twice', async () => {
    const doubled = rubric();
    doubled.dimensions = [...doubled.dimensions, doubled.dimensions[0]!];
    expect(RubricSchema.safeParse(doubled).success).toBe(false);
    const coach = createLlmRubric({
      llm: createFakeLlm([doubled]),
      prompts: await shippedPrompts(),
      logger: silentLogger,
    });
    await expect(coach.assess(transcript, metrics)).rejects.toSatisfy((e) => isAppError(e, 'llm_bad_output'));
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
    expect(user!.content).toContain('- pitchedBeforeDiscovery: true');
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
