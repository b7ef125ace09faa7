import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buyerSystemPrompt } from '../../src/buyer/llm-buyer.js';
import type { Metrics } from '../../src/coach/feedback.js';
import { coachMessages } from '../../src/coach/llm-coach.js';
import { isAppError } from '../../src/errors.js';
import { describeLanguage, loadPrompts, PROMPT_VARIABLES } from '../../src/llm/prompts.js';
import { fixtureScenario, PROMPTS_DIR, shippedPrompts } from '../fixtures/llm/helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sparring-prompts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => writeFile(join(dir, name), text);

/** The AppError a promise or a function fails with. */
async function failure(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('loadPrompts', () => {
  it('loads every markdown file and checks the required placeholder sets', async () => {
    await write('greet.md', 'Hello {{name}}, you are {{role}}.\n');
    await write('notes.txt', '{{ignored');
    const prompts = await loadPrompts(dir, { greet: ['name', 'role'] });
    expect(prompts.names()).toEqual(['greet']);
    expect(prompts.render('greet', { name: 'Karen', role: 'the buyer' })).toBe(
      'Hello Karen, you are the buyer.',
    );
  });

  it('fails at start-up when a required prompt is missing, naming the file', async () => {
    const err = await failure(() => loadPrompts(dir, { buyer: ['persona'] }));
    expect(isAppError(err, 'prompt_invalid')).toBe(true);
    expect(err.message).toContain(join(dir, 'buyer.md'));
  });

  it('fails when a prompt lacks an expected placeholder, naming file and placeholder', async () => {
    await write('buyer.md', 'You are {{persona}}.');
    const err = await failure(() => loadPrompts(dir, { buyer: ['persona', 'language'] }));
    expect(isAppError(err, 'prompt_invalid')).toBe(true);
    expect(err.message).toContain('buyer.md');
    expect(err.message).toContain('{{language}}');
  });

  it('fails when a prompt uses a placeholder nobody fills', async () => {
    await write('buyer.md', 'You are {{persona}} and speak {{langauge}}.');
    const err = await failure(() => loadPrompts(dir, { buyer: ['persona'] }));
    expect(isAppError(err, 'prompt_invalid')).toBe(true);
    expect(err.message).toContain('buyer.md');
    expect(err.message).toContain('{{langauge}}');
  });

  it('rejects a malformed placeholder instead of sending it to the model', async () => {
    await write('buyer.md', 'You are {{ persona }}.');
    const err = await failure(() => loadPrompts(dir, {}));
    expect(isAppError(err, 'prompt_invalid')).toBe(true);
    expect(err.message).toContain('buyer.md');
  });

  it('fails clearly on a directory that does not exist', async () => {
    const err = await failure(() => loadPrompts(join(dir, 'nope'), {}));
    expect(isAppError(err, 'prompt_invalid')).toBe(true);
  });
});

describe('render', () => {
  it('throws on a missing variable, an unknown variable and an unknown prompt', async () => {
    await write('greet.md', 'Hello {{name}}.');
    const prompts = await loadPrompts(dir, {});
    const missing = await failure(() => prompts.render('greet', {}));
    expect(isAppError(missing, 'prompt_invalid')).toBe(true);
    expect(missing.message).toContain('{{name}}');
    const unknown = await failure(() => prompts.render('greet', { name: 'x', nmae: 'y' }));
    expect(isAppError(unknown, 'prompt_invalid')).toBe(true);
    expect(unknown.message).toContain('{{nmae}}');
    const nameless = await failure(() => prompts.render('farewell', {}));
    expect(isAppError(nameless, 'prompt_invalid')).toBe(true);
  });

  it('inserts values as they are, even when they look like placeholders', async () => {
    await write('greet.md', 'Hello {{name}}, {{role}}.');
    const prompts = await loadPrompts(dir, {});
    expect(prompts.render('greet', { name: '{{role}}', role: '$& and $1' })).toBe(
      'Hello {{role}}, $& and $1.',
    );
  });
});

describe('the shipped prompts', () => {
  it('load with the expected placeholder sets by default', async () => {
    const prompts = await loadPrompts(PROMPTS_DIR);
    expect(prompts.names()).toEqual(expect.arrayContaining(Object.keys(PROMPT_VARIABLES)));
  });

  it('render the buyer system prompt for a conversation (reviewed as a diff)', async () => {
    const text = buyerSystemPrompt(await shippedPrompts(), fixtureScenario('fleet-complex.yaml'));
    expect(text).not.toMatch(/\{\{|\}\}/);
    await expect(text).toMatchFileSnapshot('__snapshots__/buyer-prompt.md');
  });

  it('render the buyer system prompt for a close drill in a simple sale (reviewed as a diff)', async () => {
    const text = buyerSystemPrompt(await shippedPrompts(), fixtureScenario('catering-close-da.yaml'));
    expect(text).toContain('close drill');
    expect(text).toContain('Danish');
    await expect(text).toMatchFileSnapshot('__snapshots__/buyer-prompt-close-drill.md');
  });

  it('render the coach prompt (reviewed as a diff)', async () => {
    const metrics: Metrics = {
      repWordShare: 0.625,
      repQuestions: 2,
      discoveryQuestions: 1,
      longestRepTurnWords: 41,
      closeAttempts: 1,
      finalCloseType: 'next_step',
      recapBeforeClose: false,
      addedArgumentAfterClose: true,
      pitchedBeforeDiscovery: true,
      buyerFlatNo: false,
      disguisedNo: true,
    };
    const messages = coachMessages(
      await shippedPrompts(),
      {
        language: 'en',
        turns: [
          { role: 'rep', text: 'Our platform tracks every van live. How many vans do you run?' },
          { role: 'buyer', text: 'Forty. It works as it is.' },
          { role: 'rep', text: 'Shall I book a demo for Thursday? We also have a discount this month.' },
          { role: 'buyer', text: 'We need to think about it.' },
        ],
      },
      metrics,
      fixtureScenario('fleet-complex.yaml'),
    );
    const text = messages.map((m) => `<!-- ${m.role} -->\n\n${m.content}`).join('\n\n');
    await expect(text).toMatchFileSnapshot('__snapshots__/coach-prompt.md');
    // The rules' figures are labelled as hints that can be wrong, not as facts.
    expect(text).toContain('## Hints from simple rules (can be wrong');
    expect(text).not.toMatch(/measured by code: facts/i);
  });

  it("render the coach's input for a close drill, with the drill's summary as the conversation so far", async () => {
    const [, user] = coachMessages(
      await shippedPrompts(),
      {
        turns: [
          {
            role: 'rep',
            text: 'Maden til tiden og noget til de to vegetarer, uden at du skal koordinere. Skal jeg bestille?',
          },
          { role: 'buyer', text: 'Ja, gør det.' },
        ],
      },
      {
        repWordShare: 0.8,
        repQuestions: 1,
        discoveryQuestions: 0,
        longestRepTurnWords: 16,
        closeAttempts: 1,
        finalCloseType: 'order',
        recapBeforeClose: false,
        addedArgumentAfterClose: false,
        pitchedBeforeDiscovery: false,
        buyerFlatNo: false,
        disguisedNo: false,
      },
      fixtureScenario('catering-close-da.yaml'),
    );
    await expect(user!.content).toMatchFileSnapshot('__snapshots__/coach-input-close-drill.md');
  });
});

describe('describeLanguage', () => {
  it('names the language in English and in itself', () => {
    expect(describeLanguage('sv')).toBe('Swedish (svenska, sv)');
    expect(describeLanguage('en')).toBe('English (en)');
  });
});
