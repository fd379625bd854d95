import { ConfigError } from '@lineage-hub/common';
import { startGateway } from './gateway-app';
import { loadGatewayConfig } from './gateway.config';

const main = async () => {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`gateway: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  await startGateway(config);
};

main().catch((error) => {
  process.stderr.write(`gateway failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
