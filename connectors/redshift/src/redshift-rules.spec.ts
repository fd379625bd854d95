import { datasetTable, isSystemUser, operationOf, truncatedTable } from './redshift-rules';

describe('redshift rules', () => {
  it('rdsdb (userid 1) is the system', () => {
    expect(isSystemUser(1)).toBe(true);
    expect(isSystemUser(100, 'rdsdb ')).toBe(true);
    expect(isSystemUser(100, 'etl_user')).toBe(false);
  });

  it('temporary and internal tables are not datasets; an MV backing table is the MV', () => {
    expect(datasetTable({ database: 'dev', schema: 'pg_temp_12', name: 'stage' })).toBeNull();
    expect(datasetTable({ database: 'dev', schema: 'public', name: 'volt_tt_61a4c0c4d6f2a' })).toBeNull();
    expect(datasetTable({ database: 'dev', schema: 'sales', name: 'mv_tbl__mv_daily__0' })).toEqual({
      database: 'dev',
      schema: 'sales',
      name: 'mv_daily',
      materializedView: true,
    });
    expect(datasetTable({ database: 'dev', schema: 'public', name: 'orders' })?.materializedView).toBe(false);
  });

  it('operations from the text, checked against what STL says happened', () => {
    const both = { inserted: true, deleted: true };
    const ins = { inserted: true, deleted: false };
    const del = { inserted: false, deleted: true };
    expect(operationOf('/* {"node_id": "model.a.b"} */\n insert into t select 1', ins)).toBe('INSERT');
    expect(operationOf("copy t from 's3://b/k' iam_role default", ins)).toBe('COPY');
    expect(operationOf('update t set a = s.a from s where t.id = s.id', both)).toBe('UPDATE');
    expect(operationOf('merge into t using s on t.id = s.id when matched then update set a = s.a', both)).toBe('MERGE');
    expect(operationOf('delete from t using s where t.id = s.id', del)).toBe('DELETE');
    expect(operationOf('-- cleanup\ndelete from t', del)).toBe('DELETE');
    expect(operationOf('create temp table x as select * from t', ins)).toBe('CTAS');
    expect(operationOf('select * into new_t from t', ins)).toBe('SELECT INTO');
    expect(operationOf('create materialized view mv as select 1', ins, true)).toBe('CTAS');
    expect(operationOf('refresh materialized view mv', both, true)).toBe('REFRESH');
    // A statement that only removed rows from a table removed them, whatever its text says.
    expect(operationOf('alter table t append from s', del)).toBe('DELETE');
  });

  it('names the table a TRUNCATE empties', () => {
    expect(truncatedTable('truncate table Sales.Orders;')).toEqual({ schema: 'sales', name: 'orders' });
    expect(truncatedTable('TRUNCATE staging')).toEqual({ schema: 'public', name: 'staging' });
    expect(truncatedTable('truncate dev."Sales".orders')).toEqual({ database: 'dev', schema: 'sales', name: 'orders' });
    expect(truncatedTable('vacuum t')).toBeNull();
  });
});
