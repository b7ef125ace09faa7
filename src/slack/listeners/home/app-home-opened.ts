import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { publishHome } from '../../home.js';
import type { TeamDeps } from '../../team.js';

const HomeOpenedSchema = z.object({ user: z.string().min(1), tab: z.string().optional() });

/** App Home: published fresh each time the Home tab is opened (the Messages tab is the DM, left alone). */
export const onAppHomeOpened =
  (deps: TeamDeps) =>
  async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    const parsed = HomeOpenedSchema.safeParse(event);
    if (!parsed.success || (parsed.data.tab && parsed.data.tab !== 'home')) return;
    await publishHome(deps, client, parsed.data.user);
  };
