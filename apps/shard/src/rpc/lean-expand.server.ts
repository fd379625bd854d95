import type { INestApplication } from '@nestjs/common';
import type { AuthRuntime } from '@lineage-hub/auth';
import type { JsonLogger } from '@lineage-hub/common';
import { startLeanExpandServer, type ExpandRequest, type LeanExpandAnswer, type LeanExpandServer } from '@lineage-hub/federation';
import { LineageGraphService } from '../graph/lineage-graph.service';
import { validateExpand } from '../graph/lineage-query.service';
import type { ShardConfig } from '../shard.config';

/**
 * The shard's expand for the lean transport: the same checks and walk as LineageQueryService.expand's packed form,
 * its nodes in walk order (the gateway orders the merged answer itself).
 */
export const leanExpand = (graph: LineageGraphService, request: ExpandRequest): LeanExpandAnswer => {
  const req = validateExpand(request);
  const version = graph.version;
  // unordered: the gateway merges and sorts per leg itself, so the shard skips its (distance, id) sort; seeds the
  // index does not hold are listed by the walk itself (one lookup a seed); the answer is written straight into the
  // frame, its ids by number (no ids array: only the ids new to the connection are read from the index's table)
  const compact = graph.traverseHeldNumbers(req.seeds, { direction: req.direction, depth: req.depth, maxNodes: req.maxNodes, asOf: req.asOf, transformations: req.transformations, unordered: true });
  return { version, truncated: compact.truncated, unknownSeeds: compact.unknownSeeds, columns: null, compact };
};

/**
 * Starts the lean expand server beside the Nest microservice (RPC_EXPAND=on, the default): `lineage.expand` only,
 * on RPC_HOST:RPC_EXPAND_PORT, each connection admitted once with the service credential when auth is on.
 */
export const serveLeanExpand = async (app: INestApplication, config: ShardConfig, auth: AuthRuntime, logger: JsonLogger): Promise<LeanExpandServer | null> => {
  if (config.expandPort === null) return null;
  const graph = app.get(LineageGraphService);
  return startLeanExpandServer({
    host: config.rpcHost,
    port: config.expandPort,
    maxFrameBytes: Math.max(1 << 20, config.maxBodyBytes * 2),
    domain: config.domain,
    admit: async (credential) => {
      if (!auth.enabled) return true;
      const principal = credential ? await auth.authenticator.authenticateCredential(credential) : null;
      return Boolean(principal?.service);
    },
    expand: (request) => leanExpand(graph, request),
    onError: (error) => logger.error({ msg: 'lean expand failed', error: error.message }, 'LeanExpand'),
  });
};
