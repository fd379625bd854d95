import 'reflect-metadata';
import { runApp } from '@lineage-hub/common';
import { startGateway } from './gateway-app';
import { loadGatewayConfig } from './gateway.config';

runApp('gateway', { loadConfig: loadGatewayConfig, start: startGateway });
