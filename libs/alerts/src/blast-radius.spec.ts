import { blastRadius } from './blast-radius';

const settings = { criticalDatasets: [], criticalOwners: [] };

describe('blast radius', () => {
  it('counts a consumer under its owning domain, not under every shard that holds it as an input', () => {
    const radius = blastRadius({ id: 'dataset:pg:sales.orders', domains: ['sales'] }, [
      { id: 'dataset:bq:mkt.attribution', domains: ['finance', 'marketing'], domain: 'marketing', tags: ['tier:2'] },
      { id: 'dataset:rs:fin.revenue', domains: ['finance'], domain: 'finance', tags: ['tier:1'] },
      { id: 'job:airflow:fin.revenue', domains: ['finance'] },
    ], settings);
    expect(radius).toMatchObject({ datasets: 2, domains: { marketing: 1, finance: 1 }, topTier: 1 });
    expect(radius.critical).toEqual([
      { id: 'dataset:rs:fin.revenue', domain: 'finance', reason: 'tier:1' },
      { id: 'dataset:bq:mkt.attribution', domain: 'marketing', reason: 'tier:2' },
    ]);
  });

  it('without a known owner counts every holding domain', () => {
    expect(blastRadius({ id: 'dataset:a:x', domains: [] }, [{ id: 'dataset:b:y', domains: ['m', 'f'] }], settings).domains).toEqual({ m: 1, f: 1 });
  });
});
