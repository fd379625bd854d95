/**
 * The gate's report in five forms: markdown (a PR comment), json (schema-versioned), sarif (SARIF 2.1.0 for code
 * scanning), github (workflow-command annotations) and table (a terminal).
 */
import { EXIT_FAILED, EXIT_OK, EXIT_UNKNOWN } from '../cli-io';
import { markdownCell } from '../output/render';
import { changeLabel, isBreaking } from './change.types';
import type { ChangeImpact } from './change-impact';
import { type CheckPolicy, consumerDomains, isUnknown, violations } from './check-policy';

export const CHECK_FORMATS = ['markdown', 'json', 'sarif', 'github', 'table'] as const;
export const CHECK_REPORT_SCHEMA_VERSION = '1.0';

const RESULT: Record<number, string> = { [EXIT_OK]: 'pass', [EXIT_FAILED]: 'fail', [EXIT_UNKNOWN]: 'unknown' };

const headline = (impacts: ChangeImpact[], code: number): string => {
  const breaking = impacts.filter((i) => isBreaking(i.change)).length;
  const consumers = new Set(impacts.flatMap((i) => i.consumers.map((c) => c.id))).size;
  const domains = consumerDomains(impacts.flatMap((i) => i.consumers)).length;
  const state = code === EXIT_FAILED ? 'FAIL' : code === EXIT_UNKNOWN ? 'UNKNOWN' : 'PASS';
  return `lineage check: ${state}: ${impacts.length} change(s), ${breaking} breaking, ${consumers} consumer(s) in ${domains} domain(s)`;
};

const unknownNote = (i: ChangeImpact): string[] => [
  ...(i.complete ? [] : [`impact unknown: no answer from ${i.missingDomains.join(', ') || 'some domains'}`]),
  ...i.coverageGaps.map((g) => `impact unknown: connector coverage gap: ${g}`),
];

export const markdownReport = (impacts: ChangeImpact[], policy: CheckPolicy, code: number): string => {
  const lines = [`## ${markdownCell(headline(impacts, code))}`, ''];
  if (!impacts.length) lines.push('No dataset or column changes found.', '');
  for (const i of impacts) {
    const v = violations(i, policy);
    lines.push(`### ${v.length ? '❌' : isUnknown(i) ? '❓' : '✅'} ${markdownCell(changeLabel(i.change))}${isBreaking(i.change) ? ' (breaking)' : ''}`, '');
    for (const note of unknownNote(i)) lines.push(`> **${markdownCell(note)}**`, '');
    if (!i.consumers.length) {
      lines.push('No downstream consumers.', '');
      continue;
    }
    lines.push(`${i.consumers.length} consumer(s) in ${consumerDomains(i.consumers).map(markdownCell).join(', ')}:`, '');
    lines.push('| domain | consumer | type | columns | owners | tier | distance |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const c of i.consumers) lines.push(`| ${[c.domains, c.id, c.type, c.columns, c.owners, c.tier, c.distance].map(markdownCell).join(' | ')} |`);
    lines.push('');
    if (v.length) lines.push(...v.map((x) => `- **${x.rule}**: ${markdownCell(x.message)}`), '');
  }
  return lines.join('\n');
};

export const jsonReport = (impacts: ChangeImpact[], policy: CheckPolicy, code: number) => ({
  schemaVersion: CHECK_REPORT_SCHEMA_VERSION,
  result: RESULT[code],
  exitCode: code,
  policy,
  summary: headline(impacts, code),
  changes: impacts.map((i) => ({
    ...i.change,
    breaking: isBreaking(i.change),
    queried: i.queried,
    complete: i.complete,
    missingDomains: i.missingDomains,
    truncated: i.truncated,
    coverageGaps: i.coverageGaps,
    consumers: i.consumers,
    violations: violations(i, policy),
  })),
});

export const sarifReport = (impacts: ChangeImpact[], policy: CheckPolicy) => ({
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'lineage-check',
          informationUri: 'https://openlineage.io',
          rules: [
            { id: 'LH001', name: 'BreakingChangeWithConsumers', shortDescription: { text: 'A change removes or alters what downstream consumers read' } },
            { id: 'LH002', name: 'ImpactUnknown', shortDescription: { text: 'The downstream impact could not be fully determined' } },
            { id: 'LH003', name: 'ChangeWithConsumers', shortDescription: { text: 'A non-breaking change reaches downstream consumers' } },
          ],
        },
      },
      results: impacts.flatMap((i) => {
        const location = i.change.file ? [{ physicalLocation: { artifactLocation: { uri: i.change.file }, ...(i.change.line ? { region: { startLine: i.change.line } } : {}) } }] : [];
        const out: unknown[] = [];
        const v = violations(i, policy);
        if (i.consumers.length) {
          out.push({
            ruleId: isBreaking(i.change) ? 'LH001' : 'LH003',
            level: v.length ? 'error' : 'note',
            message: { text: `${changeLabel(i.change)}: ${i.consumers.length} consumer(s) in ${consumerDomains(i.consumers).join(', ')}: ${i.consumers.map((c) => c.id).join(', ')}` },
            locations: location,
          });
        }
        for (const note of unknownNote(i)) out.push({ ruleId: 'LH002', level: 'warning', message: { text: `${changeLabel(i.change)}: ${note}` }, locations: location });
        return out;
      }),
    },
  ],
});

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: `::error file=…,line=…,title=…::message`. */
export const githubAnnotations = (impacts: ChangeImpact[], policy: CheckPolicy): string =>
  impacts
    .flatMap((i) => {
      const props = [i.change.file ? `file=${escapeProperty(i.change.file)}` : '', i.change.line ? `line=${i.change.line}` : ''].filter(Boolean);
      const out: string[] = [];
      const v = violations(i, policy);
      if (i.consumers.length) {
        const level = v.length ? 'error' : 'notice';
        out.push(`::${level} ${[...props, `title=${escapeProperty(changeLabel(i.change))}`].join(',')}::${escapeData(`${i.consumers.length} consumer(s) in ${consumerDomains(i.consumers).join(', ')}: ${i.consumers.map((c) => c.id).join(', ')}`)}`);
      }
      for (const note of unknownNote(i)) out.push(`::warning ${[...props, `title=${escapeProperty('impact unknown')}`].join(',')}::${escapeData(`${changeLabel(i.change)}: ${note}`)}`);
      return out;
    })
    .join('\n') + '\n';

export const tableReport = (impacts: ChangeImpact[], policy: CheckPolicy, code: number): string => {
  const lines = [headline(impacts, code)];
  for (const i of impacts) {
    const v = violations(i, policy);
    lines.push(`${v.length ? 'FAIL' : isUnknown(i) ? '????' : 'ok  '} ${changeLabel(i.change)}${isBreaking(i.change) ? ' (breaking)' : ''}`);
    for (const note of unknownNote(i)) lines.push(`     ${note}`);
    for (const c of i.consumers) lines.push(`     ${c.domains.join(',').padEnd(12)} ${c.id}${c.tier ? ` tier ${c.tier}` : ''}${c.owners.length ? ` owners ${c.owners.join(',')}` : ''}`);
  }
  return lines.join('\n') + '\n';
};

export const renderCheck = (format: string, impacts: ChangeImpact[], policy: CheckPolicy, code: number): string => {
  switch (format) {
    case 'json':
      return JSON.stringify(jsonReport(impacts, policy, code), null, 2) + '\n';
    case 'sarif':
      return JSON.stringify(sarifReport(impacts, policy), null, 2) + '\n';
    case 'github':
      return githubAnnotations(impacts, policy);
    case 'table':
      return tableReport(impacts, policy, code);
    default:
      return markdownReport(impacts, policy, code);
  }
};
