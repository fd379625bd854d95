export * from './shard-rpc.contract';
export * from './membership-filter';
export * from './shard-address';
export * from './namespace-domains';
export * from './shard-registration';
export * from './federated-traversal';
export * from './merged-graph-bfs';
export * from './columnar-expand';
