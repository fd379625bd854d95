/** table | json | markdown renderings of a list of rows, shared by every command that lists things. */
import { UsageError } from '../cli-io';

export const FORMATS = ['table', 'json', 'markdown'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export const parseFormat = (value: string | undefined, allowed: readonly string[] = FORMATS): string => {
  const format = value ?? 'table';
  if (!allowed.includes(format)) throw new UsageError(`--format: "${format}" is not one of ${allowed.join(', ')}`);
  return format;
};

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

const cell = (value: unknown): string => {
  if (value === undefined || value === null || value === '') return '-';
  if (Array.isArray(value)) return value.length ? value.map(cell).join(', ') : '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** Plain columns padded to the widest cell; a cell never holds a newline. */
export const renderTable = <T>(rows: readonly T[], columns: readonly Column<T>[]): string => {
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row)).replace(/\s*\n\s*/g, ' ')));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n') + '\n';
};

/** Markdown cells escape the pipe and the characters that would start HTML or a mention. */
export const markdownCell = (value: unknown): string => cell(value).replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');

export const renderMarkdownTable = <T>(rows: readonly T[], columns: readonly Column<T>[]): string =>
  [
    `| ${columns.map((c) => c.header).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((c) => markdownCell(c.value(row))).join(' | ')} |`),
  ].join('\n') + '\n';

export const renderRows = <T>(rows: readonly T[], columns: readonly Column<T>[], format: string, json: unknown = rows): string => {
  if (format === 'json') return JSON.stringify(json, null, 2) + '\n';
  if (format === 'markdown') return rows.length ? renderMarkdownTable(rows, columns) : '_none_\n';
  return rows.length ? renderTable(rows, columns) : '(none)\n';
};
