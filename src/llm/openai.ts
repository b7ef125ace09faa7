import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { keepAliveFetch } from '../http.js';
import type { Logger } from '../logger.js';
import { addUsage, type Llm, type LlmRequest, type LlmResult, type Usage, zeroUsage } from './types.js';

/** How many requests an unusable answer (not JSON, wrong shape, refusal, cut off) gets in total. */
const OUTPUT_ATTEMPTS = 2;

type OpenAiLlmOptions = {
  config: Config['llm'];
  logger: Logger;
  /** For tests and proxies; defaults to keepAliveFetch (src/http.ts). */
  fetch?: typeof fetch;
};

/**
 * The Llm over any OpenAI-compatible Chat Completions server (OpenAI, Azure, Ollama, vLLM) with structured
 * outputs. The SDK retries rate limits, 5xx and timeouts itself; this adapter retries unusable output once and
 * turns every failure into an AppError.
 */
export function createOpenAiLlm({ config, logger, fetch }: OpenAiLlmOptions): Llm {
  const log = logger.child({ module: 'llm' });
  const client = new OpenAI({
    // Local servers such as Ollama need no key, but the SDK refuses to start without one.
    apiKey: config.apiKey ?? 'not-needed',
    // Explicit values, so that the SDK does not read the environment behind config's back.
    baseURL: config.baseUrl ?? 'https://api.openai.com/v1',
    organization: null,
    project: null,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    logLevel: 'off',
    fetch: fetch ?? keepAliveFetch,
  });

  return {
    async generate<T>(req: LlmRequest<T>): Promise<LlmResult<T>> {
      const model = req.purpose === 'coach' ? config.coachModel : config.model;
      const responseFormat = toResponseFormat(req);
      const messages = req.messages.map((m) => ({ role: m.role, content: m.content }));
      log.debug({ purpose: req.purpose, model, messages }, 'llm request');

      // Structured outputs via `create` plus our own parse, not `.parse()`: `.parse()` throws on bad output and
      // takes the answer and its token usage with it, so a retried call would go uncounted and undiagnosable.
      let spent = zeroUsage();
      for (let attempt = 1; ; attempt++) {
        const started = performance.now();
        let completion: ChatCompletion;
        try {
          completion = await client.chat.completions.create({
            model,
            messages,
            response_format: responseFormat,
            // Reasoning models reject a temperature, and their hidden reasoning counts against the token cap.
            ...(req.temperature === undefined || isReasoningModel(model)
              ? {}
              : { temperature: req.temperature }),
            ...(req.maxOutputTokens === undefined || isReasoningModel(model)
              ? {}
              : { max_completion_tokens: req.maxOutputTokens }),
          });
        } catch (err) {
          throw translate(err, model);
        }
        const usage: Usage = {
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          cachedInputTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
        };
        spent = addUsage(spent, usage);
        const ms = Math.round(performance.now() - started);
        log.info({ purpose: req.purpose, model, ms, ...usage }, 'llm call');

        // Optional chaining despite the SDK's types: not every OpenAI-compatible server fills every field.
        const choice = completion.choices?.[0];
        log.debug({ purpose: req.purpose, raw: choice?.message?.content }, 'llm answer');
        const output = readOutput(choice, req.schema);
        if (output.ok) {
          return { value: output.value, raw: output.raw, usage: spent, model: completion.model || model };
        }

        log.warn({ purpose: req.purpose, model, attempt, reason: output.reason }, 'llm bad output');
        if (attempt >= OUTPUT_ATTEMPTS) {
          throw new AppError(
            'llm_bad_output',
            `The model ${model} gave no usable ${req.schemaName} after ${attempt} tries (${output.reason})`,
          );
        }
      }
    },
  };
}

/** OpenAI's o-series and gpt-5 family take neither `temperature` nor a tight completion-token cap. */
export const isReasoningModel = (model: string): boolean => /^(o\d|gpt-5)/i.test(model.replace(/^.*\//, ''));

type Output<T> = { ok: true; value: T; raw: string } | { ok: false; reason: string };

/** The answer checked against the schema, or why it cannot be used. */
function readOutput<T>(choice: ChatCompletion.Choice | undefined, schema: z.ZodType<T>): Output<T> {
  if (!choice?.message) return { ok: false, reason: 'no message in the response' };
  if (choice.finish_reason === 'length')
    return { ok: false, reason: 'the answer was cut off at the token limit' };
  if (choice.finish_reason === 'content_filter')
    return { ok: false, reason: 'the content filter stopped the answer' };
  if (choice.message.refusal) return { ok: false, reason: 'the model refused' };
  const raw = choice.message.content;
  if (!raw) return { ok: false, reason: 'the answer is empty' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'the answer is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, reason: `the answer does not fit the schema (${where}${issue?.message})` };
  }
  return { ok: true, value: parsed.data, raw };
}

// Turning a zod schema into JSON Schema costs about half a millisecond; the schemas are module constants.
const formats = new WeakMap<object, Map<string, ReturnType<typeof zodResponseFormat>>>();

function toResponseFormat<T>(req: LlmRequest<T>) {
  try {
    let byName = formats.get(req.schema);
    if (!byName) {
      byName = new Map();
      formats.set(req.schema, byName);
    }
    let format = byName.get(req.schemaName);
    if (!format) {
      format = zodResponseFormat(req.schema, req.schemaName);
      byName.set(req.schemaName, format);
    }
    return format;
  } catch (err) {
    // A programming error (e.g. `.optional()` in the schema), but it must not leave as a foreign error either.
    throw new AppError(
      'llm_unavailable',
      `The schema ${req.schemaName} cannot be sent as a structured output`,
      {
        cause: err,
      },
    );
  }
}

/** Says what happened without echoing server text that may quote the key. */
function translate(err: unknown, model: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof APIConnectionTimeoutError) {
    return new AppError('llm_timeout', `The model server did not answer in time (model ${model})`, {
      cause: err,
    });
  }
  if (err instanceof APIConnectionError) {
    return new AppError('llm_unavailable', 'Could not reach the model server (connection failed)', {
      cause: err,
    });
  }
  if (err instanceof RateLimitError) {
    return new AppError('llm_unavailable', 'The model server is rate limiting us (429); try again shortly', {
      cause: err,
    });
  }
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
    return new AppError(
      'llm_unavailable',
      `The model server rejected the credentials (${err.status}); check OPENAI_API_KEY`,
      { cause: err },
    );
  }
  if (err instanceof NotFoundError) {
    return new AppError('llm_unavailable', `The model server does not know the model ${model} (404)`, {
      cause: err,
    });
  }
  if (err instanceof BadRequestError) {
    // 400s carry the useful part (unsupported schema, context too long) in `code`/`param`, not secrets.
    const detail = [err.code, err.param].filter(Boolean).join(', ');
    return new AppError(
      'llm_unavailable',
      `The model server rejected the request (400${detail ? `: ${detail}` : ''})`,
      { cause: err },
    );
  }
  if (err instanceof APIError) {
    const status = err.status ? ` (${err.status})` : '';
    return new AppError('llm_unavailable', `The model server failed${status}`, { cause: err });
  }
  return new AppError('llm_unavailable', 'The model call failed unexpectedly', { cause: err });
}
