/**
 * BigQuery's REST row encoding (tabledata / queryResponse): rows are `{f:[{v}]}`, positional against
 * `schema.fields`; scalars are strings, TIMESTAMP is integer microseconds (the SDK asks for
 * `formatOptions.useInt64Timestamp=true`), RECORD is `{f:[...]}`, REPEATED is `[{v}, ...]`.
 */
export interface FieldSchema {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: FieldSchema[];
}

export type Row = Record<string, unknown>;

const scalar = (type: string, value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (type === 'TIMESTAMP') {
    const ms = typeof value === 'number' ? value : Date.parse(String(value));
    return String(BigInt(Math.round(ms)) * 1000n);
  }
  return String(value);
};

const encodeValue = (field: FieldSchema, value: unknown): unknown => {
  if (field.mode === 'REPEATED') {
    const items = Array.isArray(value) ? value : [];
    return items.map((item) => ({ v: encodeSingle(field, item) }));
  }
  return encodeSingle(field, value);
};

const encodeSingle = (field: FieldSchema, value: unknown): unknown => {
  if (field.type === 'RECORD' || field.type === 'STRUCT') {
    if (value === null || value === undefined) return null;
    return encodeRow(field.fields ?? [], value as Row);
  }
  return scalar(field.type, value);
};

export const encodeRow = (fields: FieldSchema[], row: Row) => ({ f: fields.map((field) => ({ v: encodeValue(field, row[field.name]) })) });

/** Microseconds since epoch of a fixture TIMESTAMP (ISO text or ms number). */
export const timestampMicros = (value: unknown): bigint => {
  const ms = typeof value === 'number' ? value : Date.parse(String(value));
  return BigInt(Math.round(ms)) * 1000n;
};

/** Reads a named query parameter as BigQuery's jobs.insert / jobs.query body carries it. */
export const queryParameter = (
  params: Array<{ name?: string; parameterValue?: { value?: string; arrayValues?: Array<{ value?: string }> } }> | undefined,
  name: string,
): string | string[] | undefined => {
  const param = params?.find((p) => p.name === name);
  if (!param?.parameterValue) return undefined;
  if (param.parameterValue.arrayValues) return param.parameterValue.arrayValues.map((v) => v.value ?? '');
  return param.parameterValue.value;
};
