import { copySource, datasetTable, isAutoRefresh, isSystemUser, operationOf, truncatedTable } from './redshift-rules';

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

  it('names the S3 object a COPY loads, from a manifest too, and nothing for sources OpenLineage cannot name here', () => {
    expect(copySource(`COPY "Sales"."Orders" FROM 's3://acme-landing/manifests/orders.manifest' IAM_ROLE default MANIFEST`)).toEqual({
      namespace: 's3://acme-landing',
      name: 'manifests/orders.manifest',
    });
    expect(copySource("-- nightly load\ncopy public.events(id, payload) from 's3://Acme-Events/raw/' format as json 'auto'")).toEqual({
      namespace: 's3://Acme-Events',
      name: 'raw/',
    });
    expect(copySource("copy favoritemovies from 'dynamodb://Movies' iam_role 'arn:aws:iam::0123456789012:role/MyRedshiftRole' readratio 50")).toBeNull();
    expect(copySource("unload ('select * from venue') to 's3://mybucket/unload/' iam_role default")).toBeNull();
  });

  it('reads the operation after leading line comments that mention other verbs', () => {
    expect(operationOf('-- delete the old rows first, then\n-- merge later\ninsert into t select * from s', { inserted: true, deleted: false })).toBe('INSERT');
    expect(operationOf('select * into temp table stage from t', { inserted: true, deleted: false })).toBe('SELECT INTO');
  });

  it('names a quoted TRUNCATE target after a comment, folded to lower case, blanks inside quotes kept', () => {
    expect(truncatedTable('/* cleanup */ TRUNCATE "Analytics"."Order Items";')).toEqual({ schema: 'analytics', name: 'order items' });
  });

  it('only a materialized view written under the label "maintenance" is an automatic refresh', () => {
    expect(isAutoRefresh('maintenance   ', true)).toBe(true);
    expect(isAutoRefresh('maintenance', false)).toBe(false);
    expect(isAutoRefresh('nightly', true)).toBe(false);
  });
});
