/**
 * The global identifier scheme (the federation contract), Marquez/OpenLineage style:
 *   dataset:{namespace}:{name}
 *   datasetField:{namespace}:{name}:{field}
 *   job:{namespace}:{name}
 *   run:{runId}
 *
 * Namespaces may hold "://" and a ":port" (oracle://h:1521, kafka://b:9092); names may start with a digit
 * or hold colons. Parsing rule: a namespace with a scheme ("x://") runs to the first ":" after its authority,
 * except that ":<digits>" directly followed by ":" is a port and stays in the namespace. So
 *   dataset:s3://b:2024/x           -> ns "s3://b",          name "2024/x"
 *   dataset:oracle://h:1521:s.t     -> ns "oracle://h:1521", name "s.t"
 * An AWS ARN namespace (the spec's Glue catalog, `arn:{partition}:{service}:{region}:{account id}`) runs through
 * its five fields:
 *   dataset:arn:aws:glue:us-east-1:123456789012:table/db/t -> ns "arn:aws:glue:us-east-1:123456789012", name "table/db/t"
 * Any other namespace without a scheme runs to the first ":". A field is what follows the last ":".
 */
import { LIMITS } from './limits';
export type NodeKind = 'dataset' | 'datasetField' | 'job' | 'run';

declare const nodeIdBrand: unique symbol;
export type NodeId = string & { readonly [nodeIdBrand]: true };

export type ParsedNodeId =
  | { kind: 'dataset'; namespace: string; name: string }
  | { kind: 'datasetField'; namespace: string; name: string; field: string }
  | { kind: 'job'; namespace: string; name: string }
  | { kind: 'run'; runId: string };

export class NodeIdError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`invalid node id "${input}": ${reason}`);
    this.name = 'NodeIdError';
  }
}

const requireText = (value: string, what: string, input: string) => {
  if (!value) throw new NodeIdError(input, `${what} is empty`);
  return value;
};

export const datasetId = (namespace: string, name: string): NodeId =>
  `dataset:${namespace}:${name}` as NodeId;

export const datasetFieldId = (namespace: string, name: string, field: string): NodeId =>
  `datasetField:${namespace}:${name}:${field}` as NodeId;

export const jobId = (namespace: string, name: string): NodeId => `job:${namespace}:${name}` as NodeId;

export const runId = (uuid: string): NodeId => `run:${uuid}` as NodeId;

export const formatNodeId = (node: ParsedNodeId): NodeId => {
  switch (node.kind) {
    case 'dataset':
      return datasetId(node.namespace, node.name);
    case 'datasetField':
      return datasetFieldId(node.namespace, node.name, node.field);
    case 'job':
      return jobId(node.namespace, node.name);
    case 'run':
      return runId(node.runId);
  }
};

/** `arn:{partition}:{service}:{region}:{account id}:` followed by a non-empty name. */
const ARN_NAMESPACE = /^(arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:\d*):(?=.)/i;

/** Splits "{namespace}:{rest}" by the rule in the header comment. */
export const splitNamespace = (text: string, input = text): { namespace: string; rest: string } => {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text);
  let start = 0;
  if (scheme) {
    start = scheme[0].length;
    const firstColon = text.indexOf(':', start);
    if (firstColon < 0) throw new NodeIdError(input, 'no ":" between namespace and name');
    const port = /^:(\d+):/.exec(text.slice(firstColon));
    const end = port ? firstColon + port[0].length - 1 : firstColon;
    return { namespace: requireText(text.slice(0, end), 'namespace', input), rest: text.slice(end + 1) };
  }
  const arn = ARN_NAMESPACE.exec(text);
  if (arn) return { namespace: arn[1], rest: text.slice(arn[0].length) };
  const colon = text.indexOf(':');
  if (colon < 0) throw new NodeIdError(input, 'no ":" between namespace and name');
  return { namespace: requireText(text.slice(0, colon), 'namespace', input), rest: text.slice(colon + 1) };
};

/** No stored node id is longer (LIMITS.nodeIdBytes, UTF-8): a longer one is refused before any lookup. */
const tooLongForAnId = (input: string): boolean => input.length > LIMITS.nodeIdBytes / 3 && new TextEncoder().encode(input).length > LIMITS.nodeIdBytes;

export const parseNodeId = (input: string): ParsedNodeId => {
  if (typeof input !== 'string' || input.length === 0) throw new NodeIdError(String(input), 'empty');
  if (tooLongForAnId(input)) throw new NodeIdError(`${input.slice(0, 64)}...`, `longer than ${LIMITS.nodeIdBytes} bytes (UTF-8)`);
  const sep = input.indexOf(':');
  const kind = sep < 0 ? input : input.slice(0, sep);
  const body = sep < 0 ? '' : input.slice(sep + 1);
  switch (kind) {
    case 'run':
      return { kind: 'run', runId: requireText(body, 'run id', input) };
    case 'dataset':
    case 'job': {
      const { namespace, rest } = splitNamespace(body, input);
      return { kind, namespace, name: requireText(rest, 'name', input) };
    }
    case 'datasetField': {
      const { namespace, rest } = splitNamespace(body, input);
      const last = rest.lastIndexOf(':');
      if (last < 0) throw new NodeIdError(input, 'no ":" between name and field');
      return {
        kind,
        namespace,
        name: requireText(rest.slice(0, last), 'name', input),
        field: requireText(rest.slice(last + 1), 'field', input),
      };
    }
    default:
      throw new NodeIdError(input, `unknown kind "${kind}" (expected dataset, datasetField, job or run)`);
  }
};

export const nodeKind = (id: string): NodeKind => parseNodeId(id).kind;

/** The dataset a datasetField belongs to. */
export const fieldDataset = (field: ParsedNodeId & { kind: 'datasetField' }): NodeId =>
  datasetId(field.namespace, field.name);
