/**
 * Where users stand today, for the federation bench: a recursive SQL written the way Marquez's lineage query
 * works, over a Marquez-shaped copy of the bench's edge table in PostgreSQL. Faithful to its approach on purpose
 * (it is the users' baseline): not to be optimised.
 */
import type { Client } from 'pg';

/**
 * Where users stand today: a lineage query in the way Marquez's works (our own SQL from its described approach,
 * over a Marquez-shaped schema: jobs, their current version, the version's input/output datasets). Per call it
 * recomputes every job's input and output arrays, starts from one job of the dataset (its writer, else a reader,
 * as Marquez picks one), and walks both directions at once by joining jobs whose arrays overlap, up to `depth`
 * job hops. The answer is a set of jobs with their datasets, not our directional impact, so it is timed, not compared.
 */
export const MARQUEZ_SQL = `WITH RECURSIVE
    job_io AS (
      SELECT j.uuid AS job_uuid,
             coalesce(array_agg(DISTINCT io.dataset_uuid) FILTER (WHERE io.io_type = 'INPUT'), '{}') AS inputs,
             coalesce(array_agg(DISTINCT io.dataset_uuid) FILTER (WHERE io.io_type = 'OUTPUT'), '{}') AS outputs
      FROM mz_jobs j
      LEFT JOIN mz_job_versions v ON v.uuid = j.current_version_uuid
      LEFT JOIN mz_job_versions_io_mapping io ON io.job_version_uuid = v.uuid
      GROUP BY j.uuid),
    start AS (
      SELECT v.job_uuid FROM mz_datasets d
      JOIN mz_job_versions_io_mapping io ON io.dataset_uuid = d.uuid
      JOIN mz_job_versions v ON v.uuid = io.job_version_uuid
      WHERE d.name = $1
      ORDER BY io.io_type DESC LIMIT 1),
    lineage(job_uuid, inputs, outputs, depth) AS (
      SELECT job_uuid, inputs, outputs, 0 FROM job_io WHERE job_uuid IN (SELECT job_uuid FROM start)
      UNION
      SELECT io.job_uuid, io.inputs, io.outputs, l.depth + 1
      FROM job_io io, lineage l
      WHERE io.job_uuid <> l.job_uuid
        AND array_cat(io.inputs, io.outputs) && array_cat(l.inputs, l.outputs)
        AND l.depth < $2)
  SELECT DISTINCT ON (job_uuid) job_uuid, inputs, outputs FROM lineage`;
/** Each depth's statement timeout (BENCH_MARQUEZ_TIMEOUT_MS): a query that reaches it is reported as "> N s", a lower bound. */
export const MARQUEZ_TIMEOUT_MS = Number(process.env.BENCH_MARQUEZ_TIMEOUT_MS ?? 60_000);
export const MARQUEZ_DEPTHS = [2, 5, 10, 20];

/** The Marquez-shaped tables, filled from the merged edge table (uuids derived from the ids). */
export const loadMarquezSchema = async (pg: Client) => {
  await pg.query(`CREATE UNLOGGED TABLE mz_datasets (uuid uuid PRIMARY KEY, name text NOT NULL UNIQUE)`);
  await pg.query(`CREATE UNLOGGED TABLE mz_jobs (uuid uuid PRIMARY KEY, name text NOT NULL UNIQUE, current_version_uuid uuid NOT NULL)`);
  await pg.query(`CREATE UNLOGGED TABLE mz_job_versions (uuid uuid PRIMARY KEY, job_uuid uuid NOT NULL)`);
  await pg.query(`CREATE UNLOGGED TABLE mz_job_versions_io_mapping (job_version_uuid uuid NOT NULL, dataset_uuid uuid NOT NULL, io_type text NOT NULL, PRIMARY KEY (job_version_uuid, dataset_uuid, io_type))`);
  await pg.query(`INSERT INTO mz_datasets SELECT md5(n)::uuid, n FROM (SELECT src AS n FROM lineage_edges WHERE kind = 1 UNION SELECT dst FROM lineage_edges WHERE kind = 2) x`);
  await pg.query(`INSERT INTO mz_jobs SELECT md5(n)::uuid, n, md5('v:' || n)::uuid FROM (SELECT dst AS n FROM lineage_edges WHERE kind = 1 UNION SELECT src FROM lineage_edges WHERE kind = 2) x`);
  await pg.query(`INSERT INTO mz_job_versions SELECT current_version_uuid, uuid FROM mz_jobs`);
  await pg.query(`INSERT INTO mz_job_versions_io_mapping
    SELECT md5('v:' || dst)::uuid, md5(src)::uuid, 'INPUT' FROM lineage_edges WHERE kind = 1
    UNION SELECT md5('v:' || src)::uuid, md5(dst)::uuid, 'OUTPUT' FROM lineage_edges WHERE kind = 2`);
  await pg.query(`CREATE INDEX ON mz_job_versions_io_mapping (dataset_uuid)`);
  await pg.query(`ANALYZE`);
};

/** One Marquez-style query: its time in ms and answer size (jobs + datasets), or null when the statement timeout stopped it. */
export const runMarquezQuery = async (pg: Client, seed: string, depth: number, timeoutMs = MARQUEZ_TIMEOUT_MS): Promise<{ ms: number; size: number } | null> => {
  await pg.query(`SET statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  const t = process.hrtime.bigint();
  try {
    const res = await pg.query(MARQUEZ_SQL, [seed, depth]);
    const took = Number(process.hrtime.bigint() - t) / 1e6;
    const datasets = new Set<string>();
    for (const r of res.rows) for (const u of [...(r.inputs ?? []), ...(r.outputs ?? [])]) datasets.add(String(u));
    return { ms: took, size: res.rows.length + datasets.size };
  } catch (error) {
    if (!/statement timeout/i.test((error as Error).message)) throw error;
    return null;
  } finally {
    await pg.query('SET statement_timeout = 0');
  }
};
