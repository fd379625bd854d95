import { DomainError } from '@lineage-hub/model';
import { checkEventWrite } from './write-authorization';
import { PRINCIPALS } from './testing/principals';

const DOMAINS: Record<string, string> = { 'airflow-a': 'a', 'snowflake://acme-a': 'a', 'airflow-b': 'b', 'snowflake://acme-b': 'b' };
const domainOf = (ns: string) => DOMAINS[ns] ?? 'a';
const event = (job: string, ...outputs: string[]) => ({ job: { namespace: job, name: 'j' }, outputs: outputs.map((namespace) => ({ namespace, name: 't' })) });

const outcome = (fn: () => void): string => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return `${(error as DomainError).code} ${(error as DomainError).field}`;
  }
};

describe('checkEventWrite', () => {
  it.each([
    ['writerOfA', event('airflow-a', 'snowflake://acme-a'), 'declared', 'ok'],
    ['writerOfA', event('airflow-b'), 'declared', 'permission-denied job.namespace'],
    ['writerOfA', event('airflow-a', 'snowflake://acme-a', 'snowflake://acme-b'), 'declared', 'permission-denied outputs[1].namespace'],
    ['writerOfB', event('airflow-a'), 'declared', 'permission-denied job.namespace'],
    ['writerOfA', event('airflow-a'), 'observed', 'permission-denied x-lineage-provenance'],
    ['service', event('airflow-b', 'snowflake://acme-b'), 'observed', 'ok'],
    ['admin', event('airflow-b'), 'declared', 'ok'],
    ['steward', event('airflow-b'), 'manual', 'permission-denied x-lineage-provenance'],
    ['reader', event('airflow-a'), 'declared', 'permission-denied job.namespace'],
  ])('%s posting %j as %s -> %s', (who, e, provenance, expected) => {
    expect(outcome(() => checkEventWrite(PRINCIPALS[who], e, domainOf, provenance))).toBe(expected);
  });

  it('names the namespace and domain in the message, and allows everything with authentication off', () => {
    expect(() => checkEventWrite(PRINCIPALS.writerOfA, event('airflow-b'), domainOf)).toThrow(/namespace "airflow-b" belongs to domain "b"/);
    expect(() => checkEventWrite(null, event('airflow-b'), domainOf, 'observed')).not.toThrow();
  });
});
