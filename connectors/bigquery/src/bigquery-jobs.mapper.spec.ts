import { isAnonymous, shardFamily } from './bigquery-jobs.mapper';

describe('BigQuery table naming', () => {
  it('collapses date shards to their family and leaves other names alone', () => {
    expect(shardFamily('events_20240301')).toBe('events');
    expect(shardFamily('ga_sessions_20231231')).toBe('ga_sessions');
    expect(shardFamily('events_20241399')).toBe('events_20241399');
    expect(shardFamily('orders_2024')).toBe('orders_2024');
    expect(shardFamily('orders')).toBe('orders');
  });

  it('knows anonymous result tables by their dataset', () => {
    expect(isAnonymous({ project_id: 'p', dataset_id: '_8b0c3a', table_id: 'anon1' })).toBe(true);
    expect(isAnonymous({ project_id: 'p', dataset_id: 'sales', table_id: 'orders' })).toBe(false);
  });
});
