/** A --base/--head pair is two dbt manifests or two OpenLineage event files; the head's content decides which. */
import { UsageError } from '../cli-io';
import type { SchemaChange } from './change.types';
import { dbtChanges, isDbtManifest } from './dbt-changes';
import { parseEventsText, schemaFacetChanges } from './schema-facet-changes';

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const changesOfPair = (baseFile: string, baseText: string, headFile: string, headText: string, namespace?: string): SchemaChange[] => {
  const base = parseJson(baseText);
  const head = parseJson(headText);
  const files = { base: baseFile, head: headFile };
  if (isDbtManifest(head) || isDbtManifest(base)) {
    if (!isDbtManifest(base)) throw new UsageError(`${baseFile}: --head is a dbt manifest but --base is not`);
    if (!isDbtManifest(head)) throw new UsageError(`${headFile}: --base is a dbt manifest but --head is not`);
    return dbtChanges(base, head, files, namespace);
  }
  return schemaFacetChanges(parseEventsText(baseText, baseFile), parseEventsText(headText, headFile), files);
};
