/**
 * `lineage impact <id or name>`: the federated downstream (or --upstream) of a dataset, column or job, grouped by
 * domain, with owners, tiers and freshness state. A partial answer (a shard did not answer) exits 3.
 */
import type { Command } from 'commander';
import { EXIT_UNKNOWN } from '../cli-io';
import { type CliContext, gatewayOptions, intOption } from '../cli-context';
import type { GatewayClient } from '../gateway/gateway-client';
import { type Column, markdownCell, renderTable } from '../output/render';
import { datasetOf, type DatasetTraits, lookUpTraits } from './dataset-traits';
import { resolveNodeId } from './node-resolver';

export interface ImpactNode {
  id: string;
  type: string;
  domains: string[];
  distance: number;
}

export interface ImpactAnswer {
  nodes: ImpactNode[];
  complete: boolean;
  missingDomains: string[];
  truncated: boolean;
  nextCursor?: string | null;
  summary?: unknown;
}

export interface ImpactRequest {
  nodeId: string;
  direction: 'downstream' | 'upstream';
  depth?: number;
  asOf?: string;
  limit?: number;
  cursor?: string;
}

/** One page, or every page when `all` (following nextCursor); complete/truncated/missingDomains merged over pages. */
export const fetchImpact = async (client: GatewayClient, req: ImpactRequest, all: boolean): Promise<ImpactAnswer> => {
  const nodes: ImpactNode[] = [];
  let complete = true;
  let truncated = false;
  const missing = new Set<string>();
  let cursor = req.cursor;
  let last: ImpactAnswer;
  do {
    const { body } = await client.get<ImpactAnswer>('/api/v1/impact', { nodeId: req.nodeId, direction: req.direction, depth: req.depth, asOf: req.asOf, limit: req.limit, cursor });
    last = body;
    nodes.push(...body.nodes);
    complete &&= body.complete;
    truncated ||= body.truncated;
    for (const d of body.missingDomains ?? []) missing.add(d);
    cursor = body.nextCursor ?? undefined;
  } while (all && cursor);
  return { ...last, nodes, complete, truncated, missingDomains: [...missing].sort(), nextCursor: all ? null : last.nextCursor };
};

export interface ImpactRow extends ImpactNode, DatasetTraits {
  domain: string;
}

export const groupByDomain = (rows: ImpactRow[]): Map<string, ImpactRow[]> => {
  const groups = new Map<string, ImpactRow[]>();
  for (const row of [...rows].sort((a, b) => a.domain.localeCompare(b.domain) || a.distance - b.distance || a.id.localeCompare(b.id))) {
    groups.set(row.domain, [...(groups.get(row.domain) ?? []), row]);
  }
  return groups;
};

const COLUMNS: Column<ImpactRow>[] = [
  { header: 'distance', value: (r) => r.distance },
  { header: 'type', value: (r) => r.type },
  { header: 'id', value: (r) => r.id },
  { header: 'owners', value: (r) => r.owners },
  { header: 'tier', value: (r) => r.tier },
  { header: 'freshness', value: (r) => r.freshness },
];

export const impactRows = async (client: GatewayClient, answer: ImpactAnswer, queried: string, enrich: boolean): Promise<ImpactRow[]> => {
  const nodes = answer.nodes.filter((n) => n.id !== queried);
  const traits = enrich ? await lookUpTraits(client, nodes.map((n) => n.id)) : new Map<string, DatasetTraits>();
  return nodes.map((n) => {
    const t = traits.get(datasetOf(n.id) ?? '') ?? { owners: [], tags: [] };
    return { ...n, ...t, domain: n.domains[0] ?? 'unknown' };
  });
};

export const renderImpact = (format: string, req: ImpactRequest, answer: ImpactAnswer, rows: ImpactRow[]): string => {
  const groups = groupByDomain(rows);
  if (format === 'json') {
    return JSON.stringify({ schemaVersion: 1, ...req, complete: answer.complete, missingDomains: answer.missingDomains, truncated: answer.truncated, nextCursor: answer.nextCursor ?? null, total: rows.length, domains: [...groups].map(([domain, nodes]) => ({ domain, count: nodes.length, nodes })) }, null, 2) + '\n';
  }
  const status = answer.complete ? '' : ` (INCOMPLETE: no answer from ${answer.missingDomains.join(', ') || 'some domains'})`;
  const head = `${rows.length} node(s) ${req.direction} of ${req.nodeId} in ${groups.size} domain(s)${answer.truncated ? ', truncated' : ''}${status}`;
  const more = answer.nextCursor ? `\nmore: --cursor ${answer.nextCursor}\n` : '';
  if (format === 'markdown') {
    const sections = [...groups].map(([domain, nodes]) => `### ${markdownCell(domain)} (${nodes.length})\n\n| distance | type | id | owners | tier | freshness |\n| --- | --- | --- | --- | --- | --- |\n${nodes.map((r) => `| ${COLUMNS.map((c) => markdownCell(c.value(r))).join(' | ')} |`).join('\n')}\n`);
    return `**${markdownCell(head)}**\n\n${sections.join('\n')}${more}`;
  }
  const sections = [...groups].map(([domain, nodes]) => `== ${domain} (${nodes.length})\n${renderTable(nodes, COLUMNS)}`);
  return `${head}\n${sections.join('\n')}${more}`;
};

export const registerImpact = (program: Command, ctx: CliContext): void => {
  gatewayOptions(program.command('impact').argument('<node>', 'a dataset, column or job: its id (dataset:ns:name) or name (orders, orders.amount)'))
    .description('federated downstream (or upstream) impact, grouped by domain with owners, tiers and freshness')
    .option('--upstream', 'walk upstream instead of downstream')
    .option('--depth <n>', 'jobs crossed at most', intOption('depth', 0, 100))
    .option('--as-of <time>', 'as the graph was at this time (ISO-8601 or epoch ms)')
    .option('--limit <n>', 'nodes per page', intOption('limit', 1, 10_000))
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'follow every page')
    .option('--no-enrich', 'skip owners, tiers and freshness look-ups')
    .action(async (node: string, opts) => {
      const client = ctx.client(opts);
      const format = ctx.format(opts);
      const req: ImpactRequest = { nodeId: await resolveNodeId(client, node), direction: opts.upstream ? 'upstream' : 'downstream', depth: opts.depth, asOf: opts.asOf, limit: opts.limit, cursor: opts.cursor };
      const answer = await fetchImpact(client, req, !!opts.all);
      const rows = await impactRows(client, answer, req.nodeId, opts.enrich);
      ctx.write(renderImpact(format, req, answer, rows));
      if (!answer.complete) {
        ctx.writeErr(`lineage impact: the answer is incomplete: ${answer.missingDomains.join(', ') || 'a shard'} did not answer\n`);
        ctx.exit(EXIT_UNKNOWN);
      }
    });
};
