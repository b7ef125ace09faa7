import { z } from 'zod';
import { type Language, toLanguage } from '../domain/language.js';
import { AppError } from '../errors.js';
import { MESSAGES, messages } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import type { WebClient } from './deps.js';

/** What Sparring needs to know about a Slack user. */
export type Person = {
  id: string;
  timeZone: string | null;
  /** Slack's locale for the user, e.g. "sv-SE"; null when Slack did not say. */
  locale: string | null;
  isAdmin: boolean;
  isOwner: boolean;
};

const UserInfoSchema = z.object({
  user: z.object({
    id: z.string(),
    tz: z.string().nullish(),
    locale: z.string().nullish(),
    is_admin: z.boolean().nullish(),
    is_owner: z.boolean().nullish(),
    is_primary_owner: z.boolean().nullish(),
  }),
});

/** Who may manage drills and scenarios, and in which time zone people live. */
export type People = {
  /** users.info, cached for a few minutes. Throws AppError('slack_unavailable') when Slack does not answer. */
  lookup(userId: string): Promise<Person>;
  /** Listed in SPARRING_MANAGERS, or a workspace admin or owner. False when Slack cannot tell. */
  isManager(userId: string): Promise<boolean>;
  /** The user's Slack time zone (IANA name). */
  timeZone(userId: string): Promise<string>;
  /** The language of the user's Slack locale ("sv-SE" → sv); English when Slack cannot tell or it is another. */
  language(userId: string): Promise<Language>;
};

/** The refusal non-managers get, in English; `managersOnly` says it in the user's own language. */
export const MANAGERS_ONLY = MESSAGES.en.managersOnly;

/** The refusal non-managers get, in their Slack locale's language (English when Slack cannot tell). */
export const managersOnly = async (people: Pick<People, 'language'>, userId: string): Promise<string> =>
  messages(await people.language(userId).catch(() => 'en' as const)).managersOnly;

/**
 * The language of a user's Slack locale ("sv-SE" → sv), without the managers' directory: for the practice
 * listeners, which ask once per picker. English when Slack does not say or answers no.
 */
export async function localeLanguage(client: WebClient, userId: string, timeoutMs = 1500): Promise<Language> {
  let timer: NodeJS.Timeout | undefined;
  // The client retries a failing Slack for minutes; the picker does not wait for that.
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const res = await Promise.race([client.users.info({ user: userId, include_locale: true }), late]);
    const parsed = UserInfoSchema.safeParse(res);
    return toLanguage(parsed.success ? parsed.data.user.locale : null);
  } catch {
    return 'en';
  } finally {
    clearTimeout(timer);
  }
}

export function createPeople(deps: {
  client: WebClient;
  managers: readonly string[];
  logger: Logger;
  /** How long a lookup is trusted: a promoted admin waits at most this long. */
  ttlMs?: number;
  now?: () => number;
}): People {
  const log = deps.logger.child({ module: 'slack' });
  const ttlMs = deps.ttlMs ?? 5 * 60_000;
  const now = deps.now ?? Date.now;
  const managers = new Set(deps.managers);
  // Only answers are cached: a failed lookup is asked again next time, never remembered as "not a manager".
  const cache = new Map<string, { person: Person; until: number }>();
  const inFlight = new Map<string, Promise<Person>>();

  const fetchPerson = async (userId: string): Promise<Person> => {
    let res: unknown;
    try {
      res = await deps.client.users.info({ user: userId, include_locale: true });
    } catch (err) {
      throw new AppError('slack_unavailable', `Slack did not tell me about ${userId}.`, { cause: err });
    }
    const parsed = UserInfoSchema.safeParse(res);
    if (!parsed.success) throw new AppError('slack_unavailable', `users.info gave no user for ${userId}.`);
    const u = parsed.data.user;
    return {
      id: u.id,
      timeZone: u.tz ?? null,
      locale: u.locale ?? null,
      isAdmin: Boolean(u.is_admin),
      isOwner: Boolean(u.is_owner || u.is_primary_owner),
    };
  };

  const lookup = async (userId: string): Promise<Person> => {
    const hit = cache.get(userId);
    if (hit && hit.until > now()) return hit.person;
    const pending = inFlight.get(userId);
    if (pending) return pending;
    const request = fetchPerson(userId)
      .then((person) => {
        cache.set(userId, { person, until: now() + ttlMs });
        return person;
      })
      .finally(() => inFlight.delete(userId));
    inFlight.set(userId, request);
    return request;
  };

  return {
    lookup,
    async isManager(userId) {
      if (managers.has(userId)) return true;
      try {
        const person = await lookup(userId);
        return person.isAdmin || person.isOwner;
      } catch (err) {
        log.warn({ userId, err }, 'could not check whether a user is a manager; refusing');
        return false;
      }
    },
    async timeZone(userId) {
      const person = await lookup(userId);
      if (!person.timeZone) {
        throw new AppError(
          'invalid_input',
          'Slack has no time zone for you; set one in your Slack preferences.',
        );
      }
      return person.timeZone;
    },
    async language(userId) {
      try {
        return toLanguage((await lookup(userId)).locale);
      } catch (err) {
        log.debug({ userId, err }, 'no locale for a user; English');
        return 'en';
      }
    },
  };
}
