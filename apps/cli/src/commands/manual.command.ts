/**
 * `lineage manual add|list|verify|remove`: lineage no tool emits (SFTP feeds, spreadsheets, legacy jobs), entered by
 * hand. Each manual edge is one job of its own (`manual.<hash of from and to>` in the output dataset's namespace, so
 * the gateway routes it to the owning domain) whose runs are OpenLineage events sent with provenance `manual`
 * (`x-lineage-provenance: manual`): the edges are stored and shown with provenance manual everywhere. The job's
 * `manualLineage` facet carries the verification flag (unverified|verified), who, when and the evidence. `verify`
 * sends a run with the flag set; `remove` sends a completed run that declares no edge, which closes them (the
 * history stays: as-of queries still show the edge while it was valid).
 */
import { createHash, randomUUID } from 'crypto';
import type { Command } from 'commander';
import { UsageError } from '../cli-io';
import { type CliContext, gatewayOptions } from '../cli-context';
import { type GatewayClient, marquezPath } from '../gateway/gateway-client';
import { renderRows } from '../output/render';
import { nodeParts, resolveNodeId } from './node-resolver';
import { isoTime } from './time-format';

export const MANUAL_FACET = 'manualLineage';
const PRODUCER = 'https://github.com/lineage-hub/lineage-hub/apps/cli';
const FACET_SCHEMA = 'https://github.com/lineage-hub/lineage-hub/spec/ManualLineageJobFacet.json';

export interface ManualLineage {
  from: string;
  to: string;
  verification: 'unverified' | 'verified';
  createdBy: string;
  createdAt: string;
  evidence?: string;
  verifiedBy?: string;
  verifiedAt?: string;
  removed?: boolean;
}

const datasetRef = (id: string) => {
  const p = nodeParts(id);
  if (p.kind !== 'dataset') throw new UsageError(`"${id}" is not a dataset id (manual lineage links datasets)`);
  return { namespace: p.namespace, name: p.name };
};

export const manualJob = (from: string, to: string) => ({
  namespace: datasetRef(to).namespace,
  name: `manual.${createHash('sha256').update(`${from}\n${to}`).digest('hex').slice(0, 16)}`,
});

/** The OpenLineage run event of one manual edge state. */
export const manualEvent = (facet: ManualLineage, now = new Date()) => {
  const job = manualJob(facet.from, facet.to);
  const declares = !facet.removed;
  return {
    eventType: 'COMPLETE',
    eventTime: now.toISOString(),
    producer: PRODUCER,
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: randomUUID() },
    job: {
      ...job,
      facets: {
        jobType: { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet', processingType: 'BATCH', integration: 'MANUAL', jobType: 'MANUAL_LINEAGE' },
        documentation: { _producer: PRODUCER, _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/DocumentationJobFacet.json#/$defs/DocumentationJobFacet', description: `manual lineage: ${facet.from} -> ${facet.to}${facet.evidence ? ` (evidence: ${facet.evidence})` : ''}` },
        [MANUAL_FACET]: { _producer: PRODUCER, _schemaURL: FACET_SCHEMA, ...facet },
      },
    },
    inputs: declares ? [datasetRef(facet.from)] : [],
    outputs: declares ? [datasetRef(facet.to)] : [],
  };
};

const send = async (client: GatewayClient, facet: ManualLineage) => {
  await client.post('/api/v1/lineage', manualEvent(facet), { 'x-lineage-provenance': 'manual' });
  const job = manualJob(facet.from, facet.to);
  return `job:${job.namespace}:${job.name}`;
};

const readManual = async (client: GatewayClient, id: string): Promise<ManualLineage> => {
  const p = nodeParts(id);
  if (p.kind !== 'job' || !p.name.startsWith('manual.')) throw new UsageError(`"${id}" is not a manual lineage id (job:{namespace}:manual.{hash}, from lineage manual list)`);
  const job = await client.find(marquezPath('jobs', p.namespace, p.name));
  const facet = job?.facets?.[MANUAL_FACET];
  if (!facet) throw new UsageError(`no manual lineage edge ${id}`);
  return facet as ManualLineage;
};

const who = (ctx: CliContext, by?: string) => by ?? ctx.config.lineageUser ?? ctx.config.osUser ?? 'unknown';

export const registerManual = (program: Command, ctx: CliContext): void => {
  const group = program.command('manual').description('manual lineage edges (provenance manual) with a verification flag');
  gatewayOptions(group.command('add'))
    .description('record an edge no tool emits: --from dataset --to dataset')
    .requiredOption('--from <dataset>', 'upstream dataset (id or name)')
    .requiredOption('--to <dataset>', 'downstream dataset (id or name)')
    .option('--evidence <text>', 'why we believe it (a ticket, a runbook, a person)')
    .option('--by <who>', 'who records it (default: $LINEAGE_USER or $USER)')
    .action(async (opts) => {
      const client = ctx.client(opts);
      const from = await resolveNodeId(client, opts.from);
      const to = await resolveNodeId(client, opts.to);
      datasetRef(from);
      datasetRef(to);
      if (from === to) throw new UsageError('--from and --to are the same dataset');
      const facet: ManualLineage = { from, to, verification: 'unverified', createdBy: who(ctx, opts.by), createdAt: new Date().toISOString(), ...(opts.evidence ? { evidence: opts.evidence } : {}) };
      const id = await send(client, facet);
      ctx.write(ctx.format(opts) === 'json' ? JSON.stringify({ id, ...facet }, null, 2) + '\n' : `added ${id}: ${from} -> ${to} (unverified)\n`);
    });
  gatewayOptions(group.command('list'))
    .description('every manual edge with its verification, who, when and evidence')
    .option('--all', 'include removed edges')
    .action(async (opts) => {
      const client = ctx.client(opts);
      const { body } = await client.get('/api/v1/search', { q: 'manual.', filter: 'JOB', limit: 1000 });
      const jobs = ((body.results ?? []) as any[]).filter((r) => r.type === 'JOB' && /^manual\.[0-9a-f]{16}$/.test(r.name));
      const rows: Array<ManualLineage & { id: string }> = [];
      for (const j of jobs) {
        const id = `job:${j.namespace}:${j.name}`;
        const facet = (await client.find(marquezPath('jobs', j.namespace, j.name)))?.facets?.[MANUAL_FACET];
        if (facet && (opts.all || !facet.removed)) rows.push({ id, ...facet });
      }
      rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      ctx.write(
        renderRows(rows, [
          { header: 'id', value: (r) => r.id },
          { header: 'from', value: (r) => r.from },
          { header: 'to', value: (r) => r.to },
          { header: 'verification', value: (r) => (r.removed ? 'removed' : r.verification) },
          { header: 'by', value: (r) => r.createdBy },
          { header: 'at', value: (r) => isoTime(r.createdAt) },
          { header: 'evidence', value: (r) => r.evidence },
        ], ctx.format(opts)),
      );
    });
  gatewayOptions(group.command('verify').argument('<id>', 'job:{namespace}:manual.{hash} from lineage manual list'))
    .description('mark a manual edge verified (who and when are recorded)')
    .option('--by <who>', 'who verifies (default: $LINEAGE_USER or $USER)')
    .option('--evidence <text>', 'replace the evidence')
    .action(async (id: string, opts) => {
      const client = ctx.client(opts);
      const current = await readManual(client, id);
      if (current.removed) throw new UsageError(`${id} was removed; add it again`);
      await send(client, { ...current, verification: 'verified', verifiedBy: who(ctx, opts.by), verifiedAt: new Date().toISOString(), ...(opts.evidence ? { evidence: opts.evidence } : {}) });
      ctx.write(`verified ${id}\n`);
    });
  gatewayOptions(group.command('remove').argument('<id>', 'job:{namespace}:manual.{hash} from lineage manual list'))
    .description('end a manual edge (its history stays for as-of queries)')
    .action(async (id: string, opts) => {
      const client = ctx.client(opts);
      const current = await readManual(client, id);
      await send(client, { ...current, removed: true });
      ctx.write(`removed ${id}\n`);
    });
};
