/**
 * Reads connector instances from the YAML file kept in git (CONNECTORS_FILE, default config/connectors.yaml):
 *
 *   connectors:
 *     - id: redshift-prod
 *       kind: redshift
 *       ...
 *
 * Every entry is validated like an API request; the first bad field stops startup with the file, the entry
 * and the field named. A disabled entry may reference secrets that are not set yet.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DomainError } from '@lineage-hub/model';
import { type ConnectorInstance, type ConnectorKinds, validateConnectorInstance } from './connector-instance';

export class ConnectorFileError extends Error {
  override readonly name = 'ConnectorFileError';
}

const UNRESOLVED_SECRET = 'unresolved-secret';

export const loadConnectorFile = (
  file: string,
  registry: ConnectorKinds,
  secret: (name: string) => string | undefined,
  required: boolean,
): ConnectorInstance[] => {
  if (!existsSync(file)) {
    if (required) throw new ConnectorFileError(`${file}: CONNECTORS_FILE does not exist`);
    return [];
  }
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConnectorFileError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return [];
  const entries = Array.isArray(doc) ? doc : (doc as { connectors?: unknown }).connectors;
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new ConnectorFileError(`${file}: connectors: expected a list of connector instances`);
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const where = `${file}: connectors[${index}]`;
    try {
      const disabled = (entry as { enabled?: unknown })?.enabled === false;
      const { instance } = validateConnectorInstance(entry, registry, (name) => secret(name) ?? (disabled ? UNRESOLVED_SECRET : undefined));
      if (seen.has(instance.id)) throw new ConnectorFileError(`${where}.id: "${instance.id}" appears twice in the file`);
      seen.add(instance.id);
      return instance;
    } catch (err) {
      if (err instanceof DomainError) throw new ConnectorFileError(`${where}.${err.message}`);
      throw err;
    }
  });
};
