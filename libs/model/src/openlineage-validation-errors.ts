/** ajv errors turned into field-named messages (`run.runId: is required`, `inputs[0].namespace: must be string`). */
import type { ErrorObject } from 'ajv/dist/2020';

export interface EventFieldError {
  field: string;
  message: string;
}

/** `/inputs/0/namespace` -> `inputs[0].namespace`. */
const dottedPath = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');

export const joinPath = (base: string, child: string) => (!base ? child : !child ? base : child.startsWith('[') ? base + child : `${base}.${child}`);

const describeError = (error: ErrorObject): EventFieldError => {
  const at = dottedPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (typeof params.missingProperty === 'string') {
    return { field: joinPath(at, params.missingProperty), message: 'is required' };
  }
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return { field: at, message: `must be one of ${params.allowedValues.join(', ')}` };
  }
  if (error.keyword === 'not') return { field: at, message: 'holds properties that do not belong to this event kind' };
  return { field: at, message: error.message ?? 'is invalid' };
};

/** The most specific errors: combinator summaries dropped when a nested error explains them; duplicates removed. */
export const describeErrors = (errors: ErrorObject[] | null | undefined, base = ''): EventFieldError[] => {
  const all = errors ?? [];
  const specific = all.filter((e) => !['anyOf', 'oneOf', 'allOf', 'if'].includes(e.keyword));
  const seen = new Set<string>();
  const out: EventFieldError[] = [];
  for (const error of specific.length ? specific : all) {
    const described = describeError(error);
    const field = joinPath(base, described.field) || 'event';
    const key = `${field}\u0000${described.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ field, message: described.message });
    }
  }
  return out;
};
