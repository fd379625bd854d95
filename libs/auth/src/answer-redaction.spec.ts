import { applyRedaction, collectNodeIds, planRedaction, SQL_REDACTED } from './answer-redaction';
import { Redactor, type NodeFacts } from './redaction';
import { PRINCIPALS } from './testing/principals';

const SECRET = 'dataset:b:crm.secret';
const FACTS = new Map<string, NodeFacts>([
  ['dataset:a:orders', { domain: 'a', restricted: false }],
  [SECRET, { domain: 'b', restricted: true }],
  ['job:b:build', { domain: 'b', restricted: false }],
  ['dataset:b:contacts', { domain: 'b', restricted: false, restrictedColumns: ['email'] }],
]);
const redact = (body: unknown, who: keyof typeof PRINCIPALS) => {
  const redactor = new Redactor(PRINCIPALS[who], 'k'.repeat(32));
  const plan = planRedaction(collectNodeIds(body), FACTS, redactor);
  return { ...applyRedaction(body, plan), plan };
};

describe('answer redaction (one rule for every answer shape)', () => {
  it('a lineage graph: the hidden node is a stub whose opaque id still connects the edges', () => {
    const body = {
      graph: [
        { id: SECRET, type: 'DATASET', data: { facets: { sql: 'x' } }, inEdges: [], outEdges: [{ origin: SECRET, destination: 'job:a:load' }] },
        { id: 'job:a:load', type: 'JOB', data: { name: 'load' }, inEdges: [{ origin: SECRET, destination: 'job:a:load' }], outEdges: [] },
      ],
    };
    const { body: out, hiddenCount } = redact(body, 'readerOfA') as { body: any; hiddenCount: number };
    expect(hiddenCount).toBe(1);
    expect(out.graph[0]).toEqual({ id: expect.stringMatching(/^hidden:/), type: 'RESTRICTED', hidden: true, data: null, inEdges: [], outEdges: [{ origin: out.graph[0].id, destination: 'job:a:load' }] });
    expect(out.graph[1].inEdges[0].origin).toBe(out.graph[0].id);
    expect(JSON.stringify(out)).not.toContain('crm.secret');
  });

  it('lists leave hidden records out; OpenLineage events keep a stub and lose the SQL facet of a job that reads it', () => {
    const body = {
      datasets: [{ id: { namespace: 'b', name: 'crm.secret' }, namespace: 'b', name: 'crm.secret', sourceName: 'b', fields: [] }, { id: { namespace: 'a', name: 'orders' }, namespace: 'a', name: 'orders', sourceName: 'a', fields: [] }],
      events: [{ eventType: 'COMPLETE', job: { namespace: 'a', name: 'load', facets: { sql: { query: 'insert into orders select * from crm.secret' } } }, inputs: [{ namespace: 'b', name: 'crm.secret', facets: { schema: {} } }], outputs: [] }],
    };
    const { body: out, hiddenCount } = redact(body, 'readerOfA') as { body: any; hiddenCount: number };
    expect(out.datasets.map((d: any) => d.name)).toEqual(['orders']);
    expect(out.events[0].inputs[0]).toEqual({ namespace: 'hidden', name: expect.stringMatching(/^hidden:/), hidden: true });
    expect(out.events[0].job.facets).toEqual({});
    expect(hiddenCount).toBe(1);
  });

  it('SQL that mentions a hidden dataset, qualified or by its last segment, in any case or quoting, is withheld', () => {
    const job = (query: string) => ({ id: { namespace: 'a', name: 'report' }, namespace: 'a', name: 'report', inputs: [{ namespace: 'a', name: 'orders' }], outputs: [], facets: { sql: { query } } });
    for (const query of ['select * from secret', 'select * from "CRM"."SECRET" s join orders o on true', 'select * from crm.secret', 'SELECT 1 FROM `crm`.`Secret`']) {
      // the hidden dataset is elsewhere in the answer (a graph node), not among the job's own inputs
      const out = redact({ jobs: [job(query)], graph: [{ id: SECRET }] }, 'readerOfA').body as any;
      expect({ query, facets: out.jobs[0].facets }).toEqual({ query, facets: {} });
    }
    const observed = redact({ writes: [{ dataset: 'dataset:a:orders', queryText: 'insert into orders select * from public.secret' }], graph: [{ id: SECRET }] }, 'readerOfA').body as any;
    expect(observed.writes[0].queryText).toBe(SQL_REDACTED);
    // not a mention: a longer identifier that only contains the name; and a viewer who may see it keeps the SQL
    expect((redact({ jobs: [job('select * from secret_sauce')], graph: [{ id: SECRET }] }, 'readerOfA').body as any).jobs[0].facets.sql.query).toBe('select * from secret_sauce');
    expect((redact({ jobs: [job('select * from secret')], graph: [{ id: SECRET }] }, 'admin').body as any).jobs[0].facets.sql.query).toBe('select * from secret');
  });

  it('free text loses the hidden name, qualified or unqualified', () => {
    const out = redact({ findings: [{ id: 'f1', asset: 'dataset:a:orders', message: 'orders is stale because SECRET was not refreshed (crm.secret)' }], secretRef: SECRET }, 'readerOfA').body as any;
    expect(out.findings[0].message).not.toMatch(/secret/i);
    expect(out.findings[0].message).toMatch(/^orders is stale because hidden:/);
  });

  it("a job of a domain the reader may not read is hidden; a steward and an admin see it", () => {
    const body = { nodes: [{ id: 'job:b:build', type: 'JOB', distance: 1 }], edges: [{ from: 'dataset:a:orders', to: 'job:b:build' }] };
    expect((redact(body, 'readerOfA').body as any).nodes[0]).toEqual({ id: expect.stringMatching(/^hidden:/), type: 'RESTRICTED', hidden: true, distance: 1 });
    expect(redact(body, 'admin').hiddenCount).toBe(0);
    expect(redact(body, 'steward').hiddenCount).toBe(0);
  });

  it('restricted columns leave a visible dataset for viewers not cleared for its domain', () => {
    const body = { id: { namespace: 'b', name: 'contacts' }, namespace: 'b', name: 'contacts', sourceName: 'b', fields: [{ name: 'id' }, { name: 'email' }], facets: { schema: { fields: [{ name: 'id' }, { name: 'email' }] } } };
    const asReader = redact(body, 'reader').body as any;
    expect(asReader.fields).toEqual([{ name: 'id' }]);
    expect(asReader.facets.schema.fields).toEqual([{ name: 'id' }]);
    expect((redact(body, 'readerOfB').body as any).fields).toHaveLength(2);
  });

  it('restricted nodes shown to a cleared viewer are reported for the audit', () => {
    expect(redact({ id: SECRET }, 'readerOfB').plan.restrictedShown).toEqual([SECRET]);
    expect(redact({ id: SECRET }, 'admin').plan.restrictedShown).toEqual([SECRET]);
  });
});
