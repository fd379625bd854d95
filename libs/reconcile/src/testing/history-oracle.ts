/** The generator's oracle: precision and recall per kind of what an evaluation raised against what was planted. */
import { FINDING_KINDS, type FindingKind } from '@lineage-hub/model';
import type { PlantedFinding } from './history-generator';

export interface KindScore {
  kind: FindingKind;
  planted: number;
  raised: number;
  hits: number;
  precision: number;
  recall: number;
}

export interface OracleReport {
  perKind: KindScore[];
  missed: PlantedFinding[];
  unexpected: { domain: string; key: string }[];
}

/** `raised`: open findings as (domain, key). */
export const scoreAgainstOracle = (planted: readonly PlantedFinding[], raised: readonly { domain: string; key: string }[]): OracleReport => {
  const id = (f: { domain: string; key: string }) => `${f.domain}|${f.key}`;
  const want = new Set(planted.map(id));
  const got = new Set(raised.map(id));
  const kindOf = (key: string) => key.slice(0, key.indexOf('|')) as FindingKind;
  const perKind = FINDING_KINDS.map((kind) => {
    const p = planted.filter((f) => f.kind === kind);
    const r = raised.filter((f) => kindOf(f.key) === kind);
    const hits = r.filter((f) => want.has(id(f))).length;
    return { kind, planted: p.length, raised: r.length, hits, precision: r.length ? hits / r.length : 1, recall: p.length ? hits / p.length : 1 };
  });
  return { perKind, missed: planted.filter((f) => !got.has(id(f))), unexpected: raised.filter((f) => !want.has(id(f))) };
};

/** A fixed-width table of the scores, for test output and benches. */
export const formatOracleReport = (report: OracleReport): string =>
  [
    'kind               planted raised hits precision recall',
    ...report.perKind.map((s) => `${s.kind.padEnd(18)} ${String(s.planted).padStart(7)} ${String(s.raised).padStart(6)} ${String(s.hits).padStart(4)} ${s.precision.toFixed(2).padStart(9)} ${s.recall.toFixed(2).padStart(6)}`),
  ].join('\n');
