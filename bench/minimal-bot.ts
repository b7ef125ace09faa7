import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import OpenAI from 'openai';
import { ROOT } from './child-app.js';

/**
 * The reference the targets are set against: a minimal LLM bot in Slack on the same stack (Bolt in HTTP mode,
 * the openai SDK with a structured output, the same Web API retry settings), with no store, no typing reaction
 * and no logging. It speaks the bench's protocol: `/spar <id>` or a mention starts a thread with a session
 * message and an opening line, and each message in the thread goes to the model with the thread so far (kept in
 * memory), the answer's `reply` posted back. Run by `npm run bench -- --minimal`, never by the app.
 */

const env = process.env;
const app = new App({
  token: env.SLACK_BOT_TOKEN,
  signingSecret: env.SLACK_SIGNING_SECRET,
  logLevel: LogLevel.ERROR,
  clientOptions: {
    slackApiUrl: env.SLACK_API_URL,
    retryConfig: { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 4000, randomize: true },
  },
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200);
        res.end('ok');
      },
    },
  ],
});
const openai = new OpenAI({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL, maxRetries: 2 });
// About the size of a rendered buyer prompt (instructions plus a scenario).
const system = ['prompts/buyer.md', 'scenarios/en-florist-card-readers.yaml']
  .map((file) => readFileSync(path.join(ROOT, file), 'utf8'))
  .join('\n\n');
const responseFormat = {
  type: 'json_schema' as const,
  json_schema: {
    name: 'buyer_turn',
    strict: true,
    schema: {
      type: 'object',
      properties: { reply: { type: 'string' } },
      required: ['reply'],
      additionalProperties: false,
    },
  },
};
type Message = { role: 'system' | 'user' | 'assistant'; content: string };
const threads = new Map<string, { user: string; messages: Message[] }>();

async function open(channel: string, user: string, threadTs: string | undefined) {
  const header = await app.client.chat.postMessage({
    channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    text: `<@${user}> is practising`,
  });
  const thread = threadTs ?? header.ts!;
  const opening = 'Make it quick, I have ten minutes.';
  threads.set(`${channel}/${thread}`, {
    user,
    messages: [
      { role: 'system', content: system },
      { role: 'assistant', content: opening },
    ],
  });
  await app.client.chat.postMessage({ channel, thread_ts: thread, text: opening });
}

app.command('/spar', async ({ ack, command }) => {
  await ack();
  await open(command.channel_id, command.user_id, undefined);
});

app.event('app_mention', async ({ event }) => {
  await open(event.channel, event.user ?? '', event.thread_ts ?? event.ts);
});

app.message(async ({ message }) => {
  if (message.subtype !== undefined || !('thread_ts' in message) || !message.thread_ts) return;
  const thread = threads.get(`${message.channel}/${message.thread_ts}`);
  if (!thread || thread.user !== message.user) return;
  thread.messages.push({ role: 'user', content: message.text ?? '' });
  const completion = await openai.chat.completions.create({
    model: 'gpt-4.1-mini',
    messages: thread.messages,
    response_format: responseFormat,
  });
  const raw = completion.choices[0]?.message.content ?? '{}';
  thread.messages.push({ role: 'assistant', content: raw });
  await app.client.chat.postMessage({
    channel: message.channel,
    thread_ts: message.thread_ts,
    text: (JSON.parse(raw) as { reply?: string }).reply ?? '',
  });
});

await app.start(Number(env.PORT));
process.once('SIGTERM', () => {
  void app.stop().finally(() => process.exit(0));
});
