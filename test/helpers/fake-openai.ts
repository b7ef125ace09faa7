import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The parts of a Chat Completions request the fake reads. */
export type ChatRequest = {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string; schema?: unknown } };
  [key: string]: unknown;
};

export type RecordedRequest = { schema: string; body: ChatRequest; at: number };

/** A scripted answer: the structured output itself, or a function of the request that returns it. */
export type Answer = unknown | ((req: ChatRequest) => unknown);
export type Failure = 500 | 429 | 'timeout';

export type FakeOpenAi = {
  /** For OPENAI_BASE_URL (ends with /v1). */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues answers for a schema name, used in order before the default answer. */
  script(schema: string, ...answers: Answer[]): void;
  /** The next `times` requests for a schema fail this way (500, 429, or no answer until the client gives up). */
  fail(schema: string, failure: Failure, times?: number): void;
  setLatency(ms: number): void;
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

export const defaultRubric = () => ({
  dimensions: ['discovery', 'listening', 'handling_no', 'close'].map((id) => ({
    id,
    score: 3,
    comment: `${id} was fine`,
    evidence: [],
  })),
  verdict: 'mixed',
  summary: 'Some connection, some script.',
  nextTime: 'Ask what makes the decision hard for them.',
});

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
export async function startFakeOpenAi(opts: { latencyMs?: number } = {}): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  const scripts = new Map<string, Answer[]>();
  const failures = new Map<string, Failure[]>();
  let latencyMs = opts.latencyMs ?? 0;
  let calls = 0;

  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
    }
    const body = JSON.parse(await readBody(req)) as ChatRequest;
    const schema = body.response_format?.json_schema?.name ?? 'text';
    requests.push({ schema, body, at: Date.now() });

    const failure = failures.get(schema)?.shift();
    if (failure === 'timeout') return; // no answer: the client's timeout fires
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (failure === 500 || failure === 429) {
      res.writeHead(failure, { 'content-type': 'application/json', 'retry-after': '0' });
      return res.end(
        JSON.stringify({
          error: { message: `injected ${failure}`, type: failure === 429 ? 'rate_limit' : 'server_error' },
        }),
      );
    }

    const scripted = scripts.get(schema)?.shift();
    const answer = scripted !== undefined ? scripted : DEFAULTS[schema];
    const value = typeof answer === 'function' ? (answer as (r: ChatRequest) => unknown)(body) : answer;
    calls++;
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
            message: { role: 'assistant', content: JSON.stringify(value), refusal: null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: 1000,
          completion_tokens: 50,
          total_tokens: 1050,
          prompt_tokens_details: { cached_tokens: 0 },
        },
      }),
    );
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
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
