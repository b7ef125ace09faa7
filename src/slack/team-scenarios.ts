import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Scenario } from '../scenarios/schema.js';
import type { StoredScenario } from '../store/scenarios.js';
import type { WebClient } from './deps.js';
import type { TeamDeps } from './team.js';

/** The largest scenario file accepted from Slack; shipped scenarios are under 10 kB. */
export const MAX_SCENARIO_BYTES = 256 * 1024;

/**
 * Stores a checked scenario (new, or a new revision of one written in Slack) and reloads the catalog at once,
 * so it can be started right away. A scenario file's id is refused: files change through the repository.
 */
export async function saveScenario(
  deps: Pick<TeamDeps, 'catalog' | 'scenarios' | 'logger'>,
  req: { scenario: Scenario; yaml: string; by: string },
): Promise<{ stored: StoredScenario; replaced: boolean }> {
  const { scenario } = req;
  if (deps.catalog.origin(scenario.id) === 'file') {
    throw new AppError(
      'invalid_input',
      `The id "${scenario.id}" belongs to a scenario file in the repository, which cannot be replaced from Slack. ` +
        'Give your scenario another id.',
    );
  }
  const { scenario: stored, replaced } = await deps.scenarios.save({
    id: scenario.id,
    yaml: req.yaml,
    title: scenario.title,
    language: scenario.language,
    by: req.by,
  });
  await deps.catalog.refresh();
  deps.logger.info(
    { module: 'slack', scenarioId: stored.id, revision: stored.revision, replaced, by: req.by },
    'scenario saved',
  );
  return { stored, replaced };
}

/**
 * Stores a buyer written in the authoring form under a new id: `build` makes the scenario for an id not in
 * `taken`. Two managers saving the same title at the same moment each get their own id, never one replacing the
 * other: an id someone else stored meanwhile is skipped and the next one tried.
 */
export async function createScenario(
  deps: Pick<TeamDeps, 'catalog' | 'scenarios' | 'logger'>,
  req: { build: (taken: ReadonlySet<string>) => { scenario: Scenario; yaml: string }; by: string },
): Promise<StoredScenario> {
  const taken = new Set<string>();
  for (let attempt = 0; attempt < 20; attempt++) {
    const { scenario, yaml } = req.build(taken);
    const stored = await deps.scenarios.create({
      id: scenario.id,
      yaml,
      title: scenario.title,
      language: scenario.language,
      by: req.by,
    });
    if (stored) {
      await deps.catalog.refresh();
      deps.logger.info({ module: 'slack', scenarioId: stored.id, by: req.by }, 'scenario created');
      return stored;
    }
    taken.add(scenario.id);
  }
  throw new AppError('invalid_input', 'Could not find a free id for this scenario; give it another title.');
}

/** Retires a scenario written in Slack: gone from the pickers, still there for the sessions that used it. */
export async function retireScenario(
  deps: Pick<TeamDeps, 'catalog' | 'scenarios' | 'drills' | 'logger'>,
  req: { id: string; by: string },
): Promise<{ stored: StoredScenario; drills: string[] }> {
  if (deps.catalog.origin(req.id) === 'file') {
    throw new AppError(
      'invalid_input',
      `"${req.id}" is a scenario file in the repository; remove the file there to retire it.`,
    );
  }
  const stored = await deps.scenarios.retire(req.id, req.by);
  if (!stored) throw new AppError('scenario_not_found', `There is no scenario "${req.id}" written in Slack.`);
  await deps.catalog.refresh();
  const drills = (await deps.drills.active()).filter((d) => d.scenarioId === req.id).map((d) => d.id);
  deps.logger.info({ module: 'slack', scenarioId: req.id, by: req.by }, 'scenario retired');
  return { stored, drills };
}

const FileInfoSchema = z.object({
  file: z.object({
    id: z.string(),
    name: z.string().default(''),
    size: z.number().optional(),
    url_private: z.string().optional(),
    url_private_download: z.string().optional(),
  }),
});

/**
 * Hosts the bot token may be sent to: Slack's own, and the configured API host (GovSlack, a test server).
 * Anything else would hand the token to whoever the URL points at.
 */
function trustedFileUrl(url: string, apiUrl: string | undefined): URL {
  const u = new URL(url);
  const api = apiUrl ? new URL(apiUrl) : null;
  const slack =
    u.protocol === 'https:' && /(^|\.)(slack\.com|slack-gov\.com|slack-edge\.com)$/.test(u.hostname);
  if (slack || (api && u.origin === api.origin)) return u;
  throw new AppError('forbidden', `Refusing to fetch a file from ${u.origin}: not a Slack host.`);
}

/** Downloads a file a user shared with the app (files.info, then url_private with the bot token). */
export async function fetchSlackFile(
  deps: Pick<TeamDeps, 'config'>,
  client: WebClient,
  fileId: string,
): Promise<{ name: string; text: string }> {
  const info = FileInfoSchema.parse(await client.files.info({ file: fileId }));
  const { name, size } = info.file;
  if (size !== undefined && size > MAX_SCENARIO_BYTES) {
    throw new AppError(
      'invalid_input',
      `${name} is ${Math.round(size / 1024)} kB; a scenario file is at most 256 kB.`,
    );
  }
  const url = info.file.url_private_download ?? info.file.url_private;
  if (!url) throw new AppError('invalid_input', `Slack gave no download link for ${name}.`);
  const res = await fetch(trustedFileUrl(url, deps.config.slack.apiUrl), {
    headers: { authorization: `Bearer ${deps.config.slack.botToken ?? ''}` },
    signal: AbortSignal.timeout(15_000),
  });
  // Without files:read (or with a wrong token) Slack answers with its sign-in page, not the file.
  if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) {
    throw new AppError(
      'slack_unavailable',
      `Could not download ${name} (HTTP ${res.status}). Does the app have the files:read scope?`,
    );
  }
  const body = await res.arrayBuffer();
  if (body.byteLength > MAX_SCENARIO_BYTES) {
    throw new AppError('invalid_input', `${name} is larger than 256 kB; that is not a scenario.`);
  }
  return { name, text: new TextDecoder('utf-8').decode(body) };
}
