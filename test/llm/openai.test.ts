import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BuyerTurnSchema } from '../../src/buyer/llm-buyer.js';
import { RubricSchema } from '../../src/coach/llm-coach.js';
import type { Config } from '../../src/config.js';
import { AppError, isAppError } from '../../src/errors.js';
import { createOpenAiLlm } from '../../src/llm/openai.js';
import type { LlmRequest } from '../../src/llm/types.js';
import { silentLogger } from '../fixtures/llm/helpers.js';
import { rubricAnswer } from '../helpers/fake-openai.js';

const HOST = 'http://llm.test';
const PATH = '/v1/chat/completions';

const config = (over: Partial<Config['llm']> = {}): Config['llm'] => ({
  apiKey: 'sk-test-secret-123',
  baseUrl: `${HOST}/v1`,
  model: 'buyer-model',
  coachModel: 'coach-model',
  timeoutMs: 5_000,
  maxRetries: 0,
  ...over,
});

const AnswerSchema = z.object({ reply: z.string(), trust: z.number().int().min(0).max(100) });

const request = (over: Partial<LlmRequest<z.infer<typeof AnswerSchema>>> = {}) => ({
  purpose: 'buyer' as const,
  messages: [
    { role: 'system' as const, content: 'You are the buyer.' },
    { role: 'user' as const, content: 'Hi Karen' },
  ],
  schema: AnswerSchema,
  schemaName: 'answer',
  temperature: 0.5,
  maxOutputTokens: 300,
  ...over,
});

/** A Chat Completions response body as an OpenAI-compatible server sends it. */
const completion = (content: string | null, extra: { refusal?: string; finish_reason?: string } = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'buyer-model-2025',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content, refusal: extra.refusal ?? null },
      finish_reason: extra.finish_reason ?? 'stop',
      logprobs: null,
    },
  ],
  usage: {
    prompt_tokens: 1200,
    completion_tokens: 40,
    total_tokens: 1240,
    prompt_tokens_details: { cached_tokens: 1024 },
  },
});

const FAST_RETRY = { 'retry-after-ms': '1' };

async function failure(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

afterEach(() => {
  nock.cleanAll();
});

describe('createOpenAiLlm', () => {
  it('returns the parsed value, the raw content and the usage with cached tokens', async () => {
    const content = '{"reply":"It works well enough.","trust":25}';
    let body: Record<string, unknown> = {};
    const scope = nock(HOST)
      .post(PATH, (b) => {
        body = b;
        return true;
      })
      .reply(200, completion(content));

    const llm = createOpenAiLlm({ config: config(), logger: silentLogger });
    const result = await llm.generate(request());

    expect(result.value).toEqual({ reply: 'It works well enough.', trust: 25 });
    expect(result.raw).toBe(content);
    expect(result.usage).toEqual({ inputTokens: 1200, cachedInputTokens: 1024, outputTokens: 40 });
    expect(result.model).toBe('buyer-model-2025');
    expect(body).toMatchObject({
      model: 'buyer-model',
      temperature: 0.5,
      max_completion_tokens: 300,
      messages: [
        { role: 'system', content: 'You are the buyer.' },
        { role: 'user', content: 'Hi Karen' },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true } },
    });
    const schema = (body.response_format as { json_schema: { schema: Record<string, unknown> } }).json_schema
      .schema;
    expect(schema).toMatchObject({
      type: 'object',
      required: ['reply', 'trust'],
      additionalProperties: false,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('uses the coach model for the coach and sends the key as a bearer token', async () => {
    let model = '';
    const scope = nock(HOST, { reqheaders: { authorization: 'Bearer sk-test-secret-123' } })
      .post(PATH, (b) => {
        model = b.model;
        return true;
      })
      .reply(200, completion('{"reply":"ok","trust":1}'));
    const llm = createOpenAiLlm({ config: config(), logger: silentLogger });
    await llm.generate(request({ purpose: 'coach' }));
    expect(model).toBe('coach-model');
    expect(scope.isDone()).toBe(true);
  });

  it('leaves temperature and the token cap out for reasoning models, which reject them', async () => {
    let body: Record<string, unknown> = {};
    nock(HOST)
      .post(PATH, (b) => {
        body = b;
        return true;
      })
      .reply(200, completion('{"reply":"ok","trust":1}'));
    const llm = createOpenAiLlm({ config: config({ model: 'gpt-5-mini' }), logger: silentLogger });
    await llm.generate(request());
    expect(body.model).toBe('gpt-5-mini');
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('max_completion_tokens');
  });

  it('works without an API key, as local servers need none', async () => {
    const scope = nock(HOST).post(PATH).reply(200, completion('{"reply":"ok","trust":1}'));
    const llm = createOpenAiLlm({ config: config({ apiKey: undefined }), logger: silentLogger });
    await expect(llm.generate(request())).resolves.toMatchObject({ value: { reply: 'ok' } });
    expect(scope.isDone()).toBe(true);
  });

  it('retries a 429 (the SDK does) and then succeeds', async () => {
    const scope = nock(HOST)
      .post(PATH)
      .reply(429, { error: { message: 'Rate limit reached', type: 'requests' } }, FAST_RETRY)
      .post(PATH)
      .reply(200, completion('{"reply":"Fine.","trust":30}'));
    const llm = createOpenAiLlm({ config: config({ maxRetries: 2 }), logger: silentLogger });
    const result = await llm.generate(request());
    expect(result.value.reply).toBe('Fine.');
    expect(scope.isDone()).toBe(true);
  });

  it('turns a timeout into llm_timeout', async () => {
    nock(HOST).post(PATH).delay(1_000).reply(200, completion('{"reply":"late","trust":1}'));
    const llm = createOpenAiLlm({ config: config({ timeoutMs: 50 }), logger: silentLogger });
    const err = await failure(() => llm.generate(request()));
    expect(err.code).toBe('llm_timeout');
  });

  it('asks once more when the output does not fit the schema, then gives up with llm_bad_output', async () => {
    let calls = 0;
    nock(HOST)
      .post(PATH)
      .times(3)
      .reply(() => {
        calls++;
        return [200, completion('{"reply":"too trusting","trust":150}')];
      });
    const llm = createOpenAiLlm({ config: config({ maxRetries: 2 }), logger: silentLogger });
    const err = await failure(() => llm.generate(request()));
    expect(err.code).toBe('llm_bad_output');
    expect(err.message).toContain('trust');
    expect(calls).toBe(2);
  });

  it('accepts a valid answer after one that is not JSON, counting the tokens of both', async () => {
    const scope = nock(HOST)
      .post(PATH)
      .reply(200, completion('{"reply": "cut off'))
      .post(PATH)
      .reply(200, completion('{"reply":"Go on.","trust":35}'));
    const llm = createOpenAiLlm({ config: config(), logger: silentLogger });
    const result = await llm.generate(request());
    expect(result.value).toEqual({ reply: 'Go on.', trust: 35 });
    expect(result.raw).toBe('{"reply":"Go on.","trust":35}');
    // Both requests cost tokens, so both are counted.
    expect(result.usage).toEqual({ inputTokens: 2400, cachedInputTokens: 2048, outputTokens: 80 });
    expect(scope.isDone()).toBe(true);
  });

  it('treats a refusal and a truncated answer as bad output', async () => {
    const scope = nock(HOST)
      .post(PATH)
      .reply(200, completion(null, { refusal: "I can't help with that." }))
      .post(PATH)
      .reply(200, completion('{"reply":"Go', { finish_reason: 'length' }));
    const llm = createOpenAiLlm({ config: config(), logger: silentLogger });
    const err = await failure(() => llm.generate(request()));
    expect(err.code).toBe('llm_bad_output');
    expect(err.message).toContain('cut off');
    expect(scope.isDone()).toBe(true);
  });

  it('treats a response without a message as bad output, not as a crash', async () => {
    const scope = nock(HOST)
      .post(PATH)
      .reply(200, { id: 'x', object: 'chat.completion', model: 'm', choices: [] })
      .post(PATH)
      .reply(200, {
        id: 'x',
        object: 'chat.completion',
        model: 'm',
        choices: [{ index: 0, finish_reason: 'stop' }],
      });
    const llm = createOpenAiLlm({ config: config(), logger: silentLogger });
    const err = await failure(() => llm.generate(request()));
    expect(err.code).toBe('llm_bad_output');
    expect(scope.isDone()).toBe(true);
  });

  it('sends the coach rubric as a strict schema in which every dimension is a required property', async () => {
    type Node = { properties: Record<string, Node>; required: string[] };
    let sent: { strict?: boolean; schema?: Node } = {};
    const answer = rubricAnswer();
    nock(HOST)
      .post(PATH, (b) => {
        sent = b.response_format.json_schema;
        return true;
      })
      .reply(200, completion(JSON.stringify(answer)));
    const llm = createOpenAiLlm({ config: config(), logger: silentLogger });
    const result = await llm.generate({ ...request(), schema: RubricSchema, schemaName: 'coach_rubric' });
    expect(Object.keys(result.value.dimensions)).toEqual(['discovery', 'listening', 'handling_no', 'close']);
    expect(sent.strict).toBe(true);
    const dimensions = sent.schema!.properties.dimensions!;
    // Under strict structured outputs this is what makes a missing or a repeated dimension impossible.
    expect(dimensions).toMatchObject({
      type: 'object',
      required: ['discovery', 'listening', 'handling_no', 'close'],
      additionalProperties: false,
    });
    expect(Object.keys(dimensions.properties)).toEqual(['discovery', 'listening', 'handling_no', 'close']);
    expect(sent.schema!.required).toEqual(['readings', 'dimensions', 'verdict', 'summary', 'nextTime']);
    expect(sent.schema!.properties.readings).toMatchObject({
      required: [
        'close_attempts',
        'final_close_type',
        'recap_before_final_close',
        'added_argument_after_close',
        'pitched_before_discovery',
        'buyer_flat_no',
        'disguised_no',
      ],
      additionalProperties: false,
    });
  });

  it('retries a rubric from a server that ignores the schema and leaves a dimension out', async () => {
    const { listening: _, ...three } = rubricAnswer().dimensions;
    const scope = nock(HOST)
      .post(PATH)
      .reply(200, completion(JSON.stringify({ ...rubricAnswer(), dimensions: three })))
      .post(PATH)
      .reply(200, completion(JSON.stringify(rubricAnswer())));
    const llm = createOpenAiLlm({ config: config(), logger: silentLogger });
    const result = await llm.generate({ ...request(), schema: RubricSchema, schemaName: 'coach_rubric' });
    expect(Object.keys(result.value.dimensions)).toEqual(['discovery', 'listening', 'handling_no', 'close']);
    expect(scope.isDone()).toBe(true);
  });

  it('sends the buyer turn schema as a strict schema: every field required, null where it may be empty', async () => {
    let sent: Record<string, unknown> = {};
    const answer = {
      thought: 'Busy.',
      close_attempt: false,
      close_kind: null,
      close_earned: false,
      trust: 25,
      newly_uncovered: [],
      outcome: 'open',
      ended: false,
      reply: 'Go on.',
    };
    nock(HOST)
      .post(PATH, (b) => {
        sent = b.response_format.json_schema;
        return true;
      })
      .reply(200, completion(JSON.stringify(answer)));
    const llm = createOpenAiLlm({ config: config(), logger: silentLogger });
    const result = await llm.generate({ ...request(), schema: BuyerTurnSchema, schemaName: 'buyer_turn' });
    expect(result.value).toEqual(answer);
    expect(sent).toMatchObject({
      name: 'buyer_turn',
      strict: true,
      schema: {
        required: Object.keys(answer),
        additionalProperties: false,
        properties: { close_kind: { anyOf: [{ enum: ['order', 'next_step'] }, { type: 'null' }] } },
      },
    });
  });

  it('turns a 500 on every try into llm_unavailable after the SDK retries', async () => {
    let calls = 0;
    nock(HOST)
      .post(PATH)
      .times(5)
      .reply(() => {
        calls++;
        return [500, { error: { message: 'boom' } }, FAST_RETRY];
      });
    const llm = createOpenAiLlm({ config: config({ maxRetries: 2 }), logger: silentLogger });
    const err = await failure(() => llm.generate(request()));
    expect(err.code).toBe('llm_unavailable');
    expect(err.message).toContain('500');
    expect(err.cause).toBeDefined();
    expect(calls).toBe(3);
  });

  it('says the credentials were rejected without repeating what the server said about the key', async () => {
    nock(HOST)
      .post(PATH)
      .reply(401, {
        error: { message: 'Incorrect API key provided: sk-test-***123', code: 'invalid_api_key' },
      });
    const llm = createOpenAiLlm({ config: config(), logger: silentLogger });
    const err = await failure(() => llm.generate(request()));
    expect(err.code).toBe('llm_unavailable');
    expect(err.message).toContain('401');
    expect(err.message).not.toContain('sk-');
  });

  it('turns a connection failure into llm_unavailable', async () => {
    // A port nothing listens on: the connection is refused.
    const llm = createOpenAiLlm({
      config: config({ baseUrl: 'http://127.0.0.1:9/v1' }),
      logger: silentLogger,
    });
    const err = await failure(() => llm.generate(request()));
    expect(isAppError(err, 'llm_unavailable')).toBe(true);
    expect(err.message).toContain('connection failed');
  });

  it('logs the call as fields, with message content only at debug', async () => {
    nock(HOST).post(PATH).reply(200, completion('{"reply":"Secret reply","trust":25}'));
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const llm = createOpenAiLlm({ config: config(), logger: pino({ level: 'info' }, sink) });
    await llm.generate(request());
    const call = lines.find((l) => l.msg === 'llm call');
    expect(call).toMatchObject({
      module: 'llm',
      purpose: 'buyer',
      model: 'buyer-model',
      inputTokens: 1200,
      cachedInputTokens: 1024,
      outputTokens: 40,
    });
    expect(typeof call?.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('Secret reply');
    expect(JSON.stringify(lines)).not.toContain('Hi Karen');
  });
});
