/**
 * The PostgreSQL store's COPY write path (libs/store/src/sql/postgres-copy.query.ts) against a real server: plain
 * inserts in a transaction go as COPY ... FROM STDIN, with the data sent behind the statement without waiting.
 * - it stores exactly the rows the INSERT path (copyInserts: false) stores, awkward text included;
 * - a COPY refused before copy-in mode (the data then arrives outside it) or inside it fails its transaction and
 *   leaves the connection usable;
 * - an ingest whose COPY into events, dataset_versions or edges fails leaves every table as it was, and the same
 *   batch then stores what a store that never failed stores.
 */
import { Client } from 'pg';
import { createEventValidator } from '@lineage-hub/model';
import { PostgresLineageStore, type IngestInput } from '@lineage-hub/store';
import { PostgresDriver } from '../../libs/store/src/sql/postgres.driver';
import { usePostgresTestDatabase } from '../testing/postgres-test-database';

jest.setTimeout(120_000);

const pg = usePostgresTestDatabase('lh_copy');

const TABLES = ['events', 'chain_head', 'namespaces', 'datasets', 'dataset_times', 'dataset_versions', 'jobs', 'runs', 'edges', 'edge_owners', 'aliases', 'lifecycle'];

/** A store in a fresh schema, with a side client on that schema to dump its tables and install triggers. */
const openStore = async (copyInserts: boolean) => {
  const schema = pg.nextSchema(copyInserts ? 'c' : 'i');
  await pg.createSchema(schema);
  const options = `-c search_path=${schema}`;
  const store = await PostgresLineageStore.open(pg.url, { pool: { options }, copyInserts, clock: () => Date.parse('2024-07-01T00:00:00Z') });
  const side = new Client({ connectionString: pg.url, options });
  await side.connect();
  const dump = async (): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const table of TABLES) {
      const { rows } = await side.query(`SELECT * FROM ${table}`);
      out[table] = rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();
    }
    return out;
  };
  return { store, side, dump, close: async () => (await store.close(), await side.end()) };
};

/** Text that means something to COPY's text format, in names, descriptions and facets. */
const AWKWARD = ['tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', '\\.', 'ünïcødé ✓ 𝄞', ''];

const validator = createEventValidator();
const events = (): IngestInput[] => {
  const out: IngestInput[] = [];
  const base = Date.parse('2024-06-01T00:00:00Z');
  for (let run = 0; run < 2; run += 1) {
    for (let j = 0; j < 30; j += 1) {
      const odd = AWKWARD[j % AWKWARD.length];
      const fields = Array.from({ length: 2 + (j % 4) }, (_, f) => ({ name: `col_${f}`, type: 'INT', description: f === 0 ? odd : undefined }));
      const table = (k: number) => ({
        namespace: 'postgres://db:5432',
        name: `warehouse.t_${(j * 7 + k * 13) % 40}`,
        facets: { schema: { _producer: 'p', _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json', fields } },
      });
      const output = { ...table(99), name: `warehouse.out_${j}`, facets: { ...table(99).facets, documentation: { _producer: 'p', _schemaURL: 's', description: odd } } };
      const common = {
        producer: 'https://example.com/copy-test',
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        job: { namespace: 'pipelines', name: `job_${j}_${odd.replace(/\s/g, '_') || 'empty'}`, facets: { sql: { _producer: 'p', _schemaURL: 's', query: `SELECT '${odd}'` } } },
        inputs: [table(0), table(1)].slice(0, 1 + (j % 2)),
        outputs: [output],
        run: { runId: `0190a0b0-0000-7000-8000-${String(run * 100 + j).padStart(12, '0')}`, facets: {} },
      };
      const start = base + (run * 30 + j) * 1000;
      out.push(validator.prepare({ ...common, eventType: 'START', eventTime: new Date(start).toISOString() }).input);
      out.push(validator.prepare({ ...common, eventType: 'COMPLETE', eventTime: new Date(start + 400).toISOString() }).input);
    }
  }
  return out;
};

/** One event alone, a middle batch, the rest, then a batch of duplicates and one new event. */
const batches = (all: IngestInput[]): IngestInput[][] => [all.slice(0, 1), all.slice(1, 38), all.slice(38, 100), all.slice(100), [...all.slice(20, 30), all[0]]];

describe('PostgreSQL COPY write path', () => {
  it('stores the same rows as the INSERT path for a generated workload (awkward text, batches of 1 to 62, duplicates)', async () => {
    const viaCopy = await openStore(true);
    const viaInsert = await openStore(false);
    try {
      const all = events();
      for (const batch of batches(all)) {
        const [a, b] = [await viaCopy.store.ingest(batch), await viaInsert.store.ingest(batch)];
        expect(a).toEqual(b);
      }
      const [copied, inserted] = [await viaCopy.dump(), await viaInsert.dump()];
      expect(copied.events).toHaveLength(all.length);
      expect(copied.edges.length).toBeGreaterThan(50);
      expect(copied.dataset_versions.length).toBeGreaterThan(20);
      expect(copied).toEqual(inserted);
      expect(await viaCopy.store.loadGraph()).toEqual(await viaInsert.store.loadGraph());
      expect((await viaCopy.store.verifyChain()).ok).toBe(true);
    } finally {
      await viaCopy.close();
      await viaInsert.close();
    }
  });

  it.each(['events', 'dataset_versions', 'edges'])('an ingest whose COPY into %s fails leaves every table as it was; the batch then stores as if it never failed', async (table) => {
    const reference = await openStore(true);
    const faulted = await openStore(true);
    try {
      const [first, second] = [events().slice(0, 40), events().slice(40)];
      for (const s of [reference, faulted]) await s.store.ingest(first);
      await reference.store.ingest(second);
      const before = await faulted.dump();
      await faulted.side.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; END $$`);
      // after the statement: the COPY has stored all its rows when it fails
      await faulted.side.query(`CREATE TRIGGER refuse AFTER INSERT ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse()`);
      await expect(faulted.store.ingest(second)).rejects.toMatchObject({ code: '23514' });
      expect(await faulted.dump()).toEqual(before);
      await faulted.side.query(`DROP TRIGGER refuse ON ${table}`);
      await faulted.store.ingest(second);
      expect(await faulted.dump()).toEqual(await reference.dump());
    } finally {
      await reference.close();
      await faulted.close();
    }
  });
});

describe('PostgresDriver insertRows through COPY', () => {
  const openDriver = async (copyInserts: boolean) => {
    const schema = pg.nextSchema('d');
    await pg.createSchema(schema);
    // one connection: what a failed COPY leaves on it is what the next statement meets
    const driver = PostgresDriver.open(pg.url, { options: `-c search_path=${schema}`, max: 1 }, { copyInserts });
    await driver.script('CREATE TABLE awk (id BIGINT PRIMARY KEY, t TEXT, n BIGINT); CREATE TABLE side (id BIGINT PRIMARY KEY)');
    await driver.loadColumnTypes();
    return driver;
  };
  const lone = 'x\ud800y';
  const rows = [...AWKWARD, lone, null].map((t, i) => [i, t, i % 2 ? -(2 ** 53 - 1) : i === 4 ? null : i * 1000]);

  it('stores every value as the parameter path does', async () => {
    const [copy, insert] = [await openDriver(true), await openDriver(false)];
    try {
      for (const d of [copy, insert]) expect(await d.transaction((tx) => tx.insertRows('awk', ['id', 't', 'n'], rows))).toBe(rows.length);
      const read = (d: PostgresDriver) => d.query('SELECT id, t, n FROM awk ORDER BY id');
      expect(await read(copy)).toEqual(await read(insert));
      expect(await read(copy)).toEqual(rows.map(([id, t, n]) => ({ id, t: t === lone ? 'x\ufffdy' : t, n })));
    } finally {
      await copy.close();
      await insert.close();
    }
  });

  it('a COPY refused before copy-in mode fails its transaction; the data sent behind it is dropped and the connection serves the next one', async () => {
    const driver = await openDriver(true);
    try {
      await expect(
        driver.transaction(async (tx) => {
          await tx.insertRows('side', ['id'], [[1]]);
          return tx.insertRows('no_such_table', ['id', 't'], [[1, 'a\tb'], [2, 'SELECT 1']]);
        }),
      ).rejects.toMatchObject({ code: '42P01' });
      expect(await driver.query('SELECT count(*) AS n FROM side')).toEqual([{ n: 0 }]);
      expect(await driver.transaction((tx) => tx.insertRows('awk', ['id', 't', 'n'], rows))).toBe(rows.length);
    } finally {
      await driver.close();
    }
  });

  it('a COPY failing on a row (duplicate key) rolls back its transaction, earlier statements included', async () => {
    const driver = await openDriver(true);
    try {
      await expect(
        driver.transaction(async (tx) => {
          await tx.insertRows('side', ['id'], [[1]]);
          return tx.insertRows('awk', ['id', 't', 'n'], [[1, 'a', 1], [2, 'b', 2], [1, 'again', 3]]);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect(await driver.query('SELECT (SELECT count(*) FROM side) AS side, (SELECT count(*) FROM awk) AS awk')).toEqual([{ side: 0, awk: 0 }]);
      expect(await driver.transaction((tx) => tx.insertRows('awk', ['id', 't', 'n'], [[1, 'a', 1]]))).toBe(1);
    } finally {
      await driver.close();
    }
  });
});
