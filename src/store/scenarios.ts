import type { Db } from './db.js';

/** A scenario written or uploaded in Slack: the YAML that passed the checks, and who did what when. */
export type StoredScenario = {
  id: string;
  yaml: string;
  title: string;
  language: string;
  /** 1 when added; each replacement adds one. */
  revision: number;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** Retired scenarios are hidden from pickers; sessions on them stay readable. */
  retiredAt: Date | null;
  retiredBy: string | null;
};

type Row = {
  id: string;
  yaml: string;
  title: string;
  language: string;
  revision: number;
  created_by: string;
  updated_by: string;
  created_at: Date;
  updated_at: Date;
  retired_at: Date | null;
  retired_by: string | null;
};

const toStored = (r: Row): StoredScenario => ({
  id: r.id,
  yaml: r.yaml,
  title: r.title,
  language: r.language,
  revision: Number(r.revision),
  createdBy: r.created_by,
  updatedBy: r.updated_by,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  retiredAt: r.retired_at ? new Date(r.retired_at) : null,
  retiredBy: r.retired_by,
});

export type ScenarioStore = ReturnType<typeof createScenarioStore>;

/** Scenarios stored in the database. Validation happens before `save`; this only keeps what it is given. */
export function createScenarioStore(db: Db) {
  return {
    /**
     * Changes whenever a scenario is added, replaced or retired: a cheap query every instance can poll to know
     * when to reload.
     */
    async fingerprint(): Promise<string> {
      const rows = await db.query<{ n: number; revisions: number; retired: number; at: Date | null }>(
        `SELECT count(*)::int AS n, coalesce(sum(revision), 0)::int AS revisions,
           count(retired_at)::int AS retired, max(updated_at) AS at FROM stored_scenarios`,
      );
      const r = rows[0];
      return r ? `${r.n}:${r.revisions}:${r.retired}:${r.at ? new Date(r.at).toISOString() : '-'}` : '0';
    },

    /** Every stored scenario, retired ones included, by id. */
    async list(): Promise<StoredScenario[]> {
      return (await db.query<Row>('SELECT * FROM stored_scenarios ORDER BY id')).map(toStored);
    },

    async get(id: string): Promise<StoredScenario | null> {
      const rows = await db.query<Row>('SELECT * FROM stored_scenarios WHERE id = $1', [id]);
      return rows[0] ? toStored(rows[0]) : null;
    },

    /** Adds a scenario, or replaces the one with the same id (a new revision, no longer retired). */
    async save(s: {
      id: string;
      yaml: string;
      title: string;
      language: string;
      by: string;
    }): Promise<{ scenario: StoredScenario; replaced: boolean }> {
      const rows = await db.query<Row & { replaced: boolean }>(
        `INSERT INTO stored_scenarios (id, yaml, title, language, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (id) DO UPDATE SET yaml = EXCLUDED.yaml, title = EXCLUDED.title,
           language = EXCLUDED.language, updated_by = EXCLUDED.updated_by, updated_at = now(),
           revision = stored_scenarios.revision + 1, retired_at = NULL, retired_by = NULL
         RETURNING *, (xmax::text <> '0') AS replaced`,
        [s.id, s.yaml, s.title, s.language, s.by],
      );
      const row = rows[0]!;
      return { scenario: toStored(row), replaced: Boolean(row.replaced) };
    },

    /** Stores a new scenario under an id nobody has taken; null when someone has (a concurrent save, say). */
    async create(s: {
      id: string;
      yaml: string;
      title: string;
      language: string;
      by: string;
    }): Promise<StoredScenario | null> {
      const rows = await db.query<Row>(
        `INSERT INTO stored_scenarios (id, yaml, title, language, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (id) DO NOTHING
         RETURNING *`,
        [s.id, s.yaml, s.title, s.language, s.by],
      );
      return rows[0] ? toStored(rows[0]) : null;
    },

    /** Retires a scenario; null when there is none with this id. */
    async retire(id: string, by: string): Promise<StoredScenario | null> {
      const rows = await db.query<Row>(
        `UPDATE stored_scenarios SET retired_at = coalesce(retired_at, now()),
           retired_by = coalesce(retired_by, $2), updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, by],
      );
      return rows[0] ? toStored(rows[0]) : null;
    },
  };
}
