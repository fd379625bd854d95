/**
 * The composition root for connectors: the one list of connector factories this hub runs. Add a line per
 * `@lineage-hub/connector-*` package; core code never imports a connector. A duplicate kind fails startup.
 */
import type { ConnectorFactory } from '@lineage-hub/connector-sdk';
import { bigqueryConnectorFactory } from '@lineage-hub/connector-bigquery';
import { redshiftConnectorFactory } from '@lineage-hub/connector-redshift';
import { salesforceConnectorFactory } from '@lineage-hub/connector-salesforce';
import { snowflakeConnectorFactory } from '@lineage-hub/connector-snowflake';

export const CONNECTOR_FACTORIES: ConnectorFactory[] = [
  redshiftConnectorFactory,
  bigqueryConnectorFactory,
  snowflakeConnectorFactory,
  salesforceConnectorFactory,
];

export class ConnectorRegistry {
  private readonly byKind = new Map<string, ConnectorFactory>();

  constructor(factories: ConnectorFactory[]) {
    for (const factory of factories) {
      if (!/^[a-z][a-z0-9-]*$/.test(factory.kind)) throw new Error(`connector kind "${factory.kind}" must be lower-case letters, digits and "-"`);
      if (this.byKind.has(factory.kind)) throw new Error(`connector kind "${factory.kind}" is registered twice; each kind must have exactly one factory`);
      this.byKind.set(factory.kind, factory);
    }
  }

  get(kind: string): ConnectorFactory | undefined {
    return this.byKind.get(kind);
  }

  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }
}

export const CONNECTOR_REGISTRY = Symbol('CONNECTOR_REGISTRY');
