import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** The parts of a Chat Completions request the fake reads. */
export type ChatRequest = {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string; schema?: unknown } };
  [key: string]: unknown;
};

/** The token usage the fake reported for a request. */
export type FakeUsage = { promptTokens: number; cachedTokens: number; completionTokens: number };

export type RecordedRequest = {
  schema: string;
  body: ChatRequest;
  at: number;
  /** performance.now() when the request arrived and when its answer was written (null: never answered). */
  startedAt: number;
  endedAt: number | null;
  /** The HTTP status answered (null while pending, or for an injected timeout). */
  status: number | null;
  /** What the answer reported as usage (only for answered requests). */
  usage?: FakeUsage;
};

/** A scripted answer: the structured output itself, or a function of the request that returns it. */
export type Answer = unknown | ((req: ChatRequest) => unknown);
export type Failure = 500 | 429 | 'timeout';

export type FakeOpenAiOptions = {
  latencyMs?: number;
  /**
   * 'fixed' (the default): every answer reports 1000 prompt tokens, 50 completion tokens, nothing cached.
   * 'estimate': about one token per four characters of the serialized messages, and cached_tokens for the
   * longest prefix (on message boundaries) already seen in an earlier request to the same model, counted the way
   * OpenAI's prompt cache does (nothing below 1024 tokens, then in steps of 128).
   */
  usage?: 'fixed' | 'estimate';
  /** Default answers by schema name, in place of the echoing buyer and the fixed rubric. */
  answers?: Record<string, Answer>;
};

export type FakeOpenAi = {
  /** For OPENAI_BASE_URL (ends with /v1). */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues answers for a schema name, used in order before the default answer. */
  script(schema: string, ...answers: Answer[]): void;
  /** The next `times` requests for a schema fail this way (500, 429, or no answer until the client gives up). */
  fail(schema: string, failure: Failure, times?: number): void;
  /**
   * The next requests for a schema whose last user message contains `text` fail in turn with `failures`, whatever
   * other requests arrive in between: the failure lands on that message and no other (checked before `fail` and
   * `failRandomly`). The SDK's retry of the same message takes the next one.
   */
  failFor(schema: string, text: string, ...failures: Failure[]): void;
  /**
   * The next `count` requests for a schema are held unanswered until `release` (or the client drops them), so a
   * test can be sure they are in flight. Resolves nothing itself: read `held()`.
   */
  hold(schema: string, count: number): void;
  /** Requests being held right now. */
  held(): RecordedRequest[];
  /** Answers the held requests normally (those whose client is gone are dropped) and holds no more. */
  release(): void;
  /**
   * From now on each request for a schema fails with probability `rate`, picking one of `failures` (after any
   * queued `fail`s). `rate: 0` stops it. `random` makes it reproducible.
   */
  failRandomly(
    schema: string,
    opts: { rate: number; failures: readonly Failure[]; random?: () => number },
  ): void;
  setLatency(ms: number): void;
  /** Called with every request once it is recorded (before it is answered). */
  onRequest(listener: (req: RecordedRequest) => void): () => void;
  close(): Promise<void>;
};

const lastUser = (req: ChatRequest) =>
  [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';

/** A buyer turn that keeps the conversation open and answers with the rep's words, so order is visible. */
export const echoBuyerTurn = (req: ChatRequest) => ({
  thought: 'listening',
  close_attempt: false,
  close_kind: null,
  close_earned: false,
  trust: 30,
  newly_uncovered: [],
  outcome: 'open',
  ended: false,
  reply: `You said: ${lastUser(req).slice(0, 80)}`,
});

/** The model's readings of the label fields in a rubric: no close, no pitch, no refusal. */
export const noReadings = () => ({
  close_attempts: 0,
  final_close_type: 'none',
  recap_before_final_close: false,
  added_argument_after_close: false,
  pitched_before_discovery: false,
  buyer_flat_no: false,
  disguised_no: false,
});

type RubricDimension = { score: number; comment: string; evidence: Array<{ turn: number; quote: string }> };

/**
 * A coach_rubric answer in the schema's shape (the four dimensions as properties); `dimension(id)` gives each
 * dimension, by default a 3 with no evidence.
 */
export const rubricAnswer = (
  over: {
    dimension?: (id: string) => RubricDimension;
    readings?: Partial<ReturnType<typeof noReadings>>;
    verdict?: string;
    summary?: string;
    nextTime?: string;
  } = {},
) => ({
  readings: { ...noReadings(), ...over.readings },
  dimensions: Object.fromEntries(
    ['discovery', 'listening', 'handling_no', 'close'].map((id) => [
      id,
      over.dimension?.(id) ?? { score: 3, comment: `${id} was fine`, evidence: [] },
    ]),
  ),
  verdict: over.verdict ?? 'mixed',
  summary: over.summary ?? 'Some connection, some script.',
  nextTime: over.nextTime ?? 'Ask what makes the decision hard for them.',
});

export const defaultRubric = () => rubricAnswer();

const DEFAULTS: Record<string, Answer> = { buyer_turn: echoBuyerTurn, coach_rubric: defaultRubric };

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * A local OpenAI-compatible server (POST /v1/chat/completions, 127.0.0.1 only) that answers structured outputs
 * by json_schema name, with scripted answers, latency and injected failures, and records every request.
 */
/** Prompt tokens are estimated at four characters each; OpenAI caches from 1024 tokens, in steps of 128. */
const CHARS_PER_TOKEN = 4;
const CACHE_MIN_TOKENS = 1024;
const CACHE_STEP_TOKENS = 128;

/**
 * A prompt cache over message boundaries: the digests of every prefix (messages 0..k, serialized as in
 * JSON.stringify(messages)) of every request seen, per model.
 */
function createPrefixCache() {
  const seen = new Set<string>();
  return (model: string, messages: ChatRequest['messages']): { chars: number; cachedChars: number } => {
    const hash = createHash('sha256').update(model);
    let chars = 1; // '['
    let cachedChars = 0;
    const digests: string[] = [];
    for (const [i, m] of messages.entries()) {
      const part = JSON.stringify(m);
      chars += part.length + (i > 0 ? 1 : 0);
      hash.update(i > 0 ? `,${part}` : part);
      const digest = hash.copy().digest('base64');
      digests.push(digest);
      if (seen.has(digest)) cachedChars = chars;
    }
    for (const d of digests) seen.add(d);
    return { chars: chars + 1, cachedChars };
  };
}

const cachedTokensFor = (cachedChars: number, promptTokens: number): number => {
  const tokens = Math.min(Math.floor(cachedChars / CHARS_PER_TOKEN), promptTokens);
  return tokens < CACHE_MIN_TOKENS ? 0 : Math.floor(tokens / CACHE_STEP_TOKENS) * CACHE_STEP_TOKENS;
};

export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  const scripts = new Map<string, Answer[]>();
  const failures = new Map<string, Failure[]>();
  const randomFailures = new Map<
    string,
    { rate: number; failures: readonly Failure[]; random: () => number }
  >();
  const keyed = new Map<string, Array<{ text: string; failures: Failure[] }>>();
  const holds = new Map<string, number>();
  const heldNow: Array<{ recorded: RecordedRequest; go: () => void }> = [];
  const listeners = new Set<(req: RecordedRequest) => void>();
  const defaults: Record<string, Answer> = { ...DEFAULTS, ...opts.answers };
  const prefixCache = createPrefixCache();
  let latencyMs = opts.latencyMs ?? 0;
  let calls = 0;

  const nextFailure = (schema: string, body: ChatRequest): Failure | undefined => {
    const forMessage = keyed.get(schema)?.find((k) => lastUser(body).includes(k.text));
    if (forMessage) {
      const failure = forMessage.failures.shift();
      if (forMessage.failures.length === 0) {
        keyed.set(
          schema,
          (keyed.get(schema) ?? []).filter((k) => k !== forMessage),
        );
      }
      return failure;
    }
    const queued = failures.get(schema)?.shift();
    if (queued !== undefined) return queued;
    const random = randomFailures.get(schema);
    if (!random || random.failures.length === 0 || random.random() >= random.rate) return undefined;
    return random.failures[Math.floor(random.random() * random.failures.length)];
  };

  const usageOf = (body: ChatRequest, content: string): FakeUsage => {
    if (opts.usage !== 'estimate') return { promptTokens: 1000, cachedTokens: 0, completionTokens: 50 };
    const { chars, cachedChars } = prefixCache(body.model, body.messages);
    const promptTokens = Math.ceil(chars / CHARS_PER_TOKEN);
    return {
      promptTokens,
      cachedTokens: cachedTokensFor(cachedChars, promptTokens),
      completionTokens: Math.ceil(content.length / CHARS_PER_TOKEN),
    };
  };

  const server = createServer(async (req, res) => {
    const startedAt = performance.now();
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
    }
    const body = JSON.parse(await readBody(req)) as ChatRequest;
    const schema = body.response_format?.json_schema?.name ?? 'text';
    const recorded: RecordedRequest = {
      schema,
      body,
      at: Date.now(),
      startedAt,
      endedAt: null,
      status: null,
    };
    requests.push(recorded);
    for (const listener of listeners) listener(recorded);

    const failure = nextFailure(schema, body);
    if (failure === 'timeout') return; // no answer: the client's timeout fires
    const toHold = holds.get(schema) ?? 0;
    if (toHold > 0) {
      holds.set(schema, toHold - 1);
      await new Promise<void>((go) => heldNow.push({ recorded, go }));
      if (res.destroyed || req.socket.destroyed) return;
    }
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (failure === 500 || failure === 429) {
      recorded.status = failure;
      recorded.endedAt = performance.now();
      res.writeHead(failure, { 'content-type': 'application/json', 'retry-after': '0' });
      return res.end(
        JSON.stringify({
          error: { message: `injected ${failure}`, type: failure === 429 ? 'rate_limit' : 'server_error' },
        }),
      );
    }

    const scripted = scripts.get(schema)?.shift();
    const answer = scripted !== undefined ? scripted : defaults[schema];
    const value = typeof answer === 'function' ? (answer as (r: ChatRequest) => unknown)(body) : answer;
    const content = JSON.stringify(value);
    const usage = usageOf(body, content);
    calls++;
    recorded.status = 200;
    recorded.usage = usage;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${calls}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: usage.promptTokens,
          completion_tokens: usage.completionTokens,
          total_tokens: usage.promptTokens + usage.completionTokens,
          prompt_tokens_details: { cached_tokens: usage.cachedTokens },
        },
      }),
    );
    recorded.endedAt = performance.now();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (schema, ...answers) => void scripts.set(schema, [...(scripts.get(schema) ?? []), ...answers]),
    fail: (schema, failure, times = 1) =>
      void failures.set(schema, [
        ...(failures.get(schema) ?? []),
        ...Array.from({ length: times }, () => failure),
      ]),
    failFor: (schema, text, ...f) =>
      void keyed.set(schema, [...(keyed.get(schema) ?? []), { text, failures: [...f] }]),
    hold: (schema, count) => void holds.set(schema, (holds.get(schema) ?? 0) + count),
    held: () => heldNow.map((h) => h.recorded),
    release: () => {
      holds.clear();
      for (const h of heldNow.splice(0)) h.go();
    },
    failRandomly: (schema, o) => {
      if (o.rate <= 0) randomFailures.delete(schema);
      else
        randomFailures.set(schema, { rate: o.rate, failures: o.failures, random: o.random ?? Math.random });
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    onRequest: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
