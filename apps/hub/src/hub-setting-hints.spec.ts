import { gatewaySettings, settingHints, shardSettings, workerSettings } from './hub-setting-hints';

const config = {
  configPath: '/repo/apps/hub/hub.config.yaml',
  gateway: { port: 4000 },
  shards: [{ domain: 'sales', port: 5100, rpcPort: 5101, namespaces: [] }],
  worker: { port: 4100 },
};

describe('hub setting hints', () => {
  it('names the hub config setting behind a variable a child refused', () => {
    expect(settingHints('invalid configuration: VENDOR_REQUEST_TIMEOUT_MS: Number must be greater than or equal to 1', workerSettings, config)).toEqual([
      'VENDOR_REQUEST_TIMEOUT_MS comes from `worker.requestTimeoutMs` in /repo/apps/hub/hub.config.yaml: change it there',
    ]);
    expect(settingHints('invalid configuration: RPC_PORT: Expected number', shardSettings('sales'), config)[0]).toContain('`shards[domain=sales].rpcPort`');
    expect(settingHints('invalid configuration: NAMESPACE_DOMAINS: "x" is not namespace=domain', gatewaySettings, config)[0]).toContain('`shards[].namespaces`');
  });

  it('names the setting of a port that is in use', () => {
    expect(settingHints('Error: listen EADDRINUSE: address already in use 127.0.0.1:5101', shardSettings('sales'), config)).toEqual([
      'port 5101 is in use: change `shards[domain=sales].rpcPort` in /repo/apps/hub/hub.config.yaml (or stop what listens there)',
    ]);
  });

  it('says nothing when the output names neither', () => {
    expect(settingHints('Error: something else broke', gatewaySettings, config)).toEqual([]);
    expect(settingHints('SHARD_PORTS: x', gatewaySettings, config)).toEqual([]);
  });
});
