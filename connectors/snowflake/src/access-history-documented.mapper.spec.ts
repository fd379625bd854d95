/**
 * ACCESS_HISTORY x QUERY_HISTORY rows written from Snowflake's documentation (ACCESS_HISTORY column samples: objectId
 * may come as text, as in the doc's FUNCTION element; stages, views in direct vs base objects, objects_modified with
 * directSources/baseSources, object_modified_by_ddl), none of them in test/fixtures/access-history.json. Each asserts
 * the lineage and the observed writes a user would expect (OpenLineage name `DB.SCHEMA.TABLE`, VENDOR-FORMATS.md 2.D).
 */
import { type AccessedObject, type AccessHistoryRow, mapAccessHistoryRow, type MapContext } from './access-history.mapper';

const NS = 'snowflake://acme-prod';
const ctx = (temporary = new Set<number>()): MapContext => ({ connectorId: 'sf-1', namespace: NS, jobNamespace: NS, temporary });
const ds = (name: string) => `dataset:${NS}:${name}`;
const table = (objectId: number | string, objectName: string, columns: string[] = [], objectDomain = 'Table'): AccessedObject =>
  ({ objectDomain, objectId, objectName, columns: columns.map((columnName, i) => ({ columnId: i + 1, columnName })) }) as AccessedObject;
const src = (objectId: number | string, objectName: string, columnName: string, objectDomain = 'Table') => ({ objectDomain, objectId, objectName, columnName }) as never;

let seq = 0;
const row = (over: Partial<AccessHistoryRow>): AccessHistoryRow => ({
  QUERY_ID: `01b3f0a2-0602-4bd1-0000-0000000${String(++seq).padStart(5, '0')}`,
  START_NS: '1714640400123000000',
  USER_NAME: 'LOADER',
  BASE_OBJECTS_ACCESSED: [],
  OBJECTS_MODIFIED: [],
  OBJECT_MODIFIED_BY_DDL: null,
  PARENT_QUERY_ID: null,
  ROOT_QUERY_ID: null,
  QUERY_TEXT: null,
  QUERY_TYPE: 'INSERT',
  DATABASE_NAME: 'ANALYTICS',
  SCHEMA_NAME: 'PUBLIC',
  END_MS: 1714640405500,
  ROWS_WRITTEN: 0,
  ...over,
});
const names = (list: Array<{ name: string }>) => list.map((d) => d.name).sort();

describe('Snowflake ACCESS_HISTORY rows from the documentation', () => {
  it('COPY INTO a table from an external stage: the stage is no dataset, the table is written with operation COPY', () => {
    const mapped = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'COPY',
        QUERY_TEXT: "COPY INTO RAW.SHOP.ORDERS FROM @RAW.SHOP.S3_LANDING/orders/ FILE_FORMAT = (TYPE = 'PARQUET') MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE",
        BASE_OBJECTS_ACCESSED: [{ objectDomain: 'Stage', objectId: 881, objectName: 'RAW.SHOP.S3_LANDING', stageKind: 'External Named' } as AccessedObject],
        OBJECTS_MODIFIED: [table(901, 'RAW.SHOP.ORDERS', ['ID', 'AMOUNT'])],
        ROWS_WRITTEN: 5000,
      }),
      ctx(),
    );
    expect(mapped.event!.inputs).toEqual([]);
    expect(names(mapped.event!.outputs)).toEqual(['RAW.SHOP.ORDERS']);
    expect(mapped.writes).toEqual([expect.objectContaining({ dataset: ds('RAW.SHOP.ORDERS'), operation: 'COPY', sources: [], rows: 5000 })]);
  });

  it("a dbt TEMPORARY VIEW (`__dbt_tmp`) is no dataset: the MERGE that reads it keeps only the view's base tables", () => {
    const temporary = new Set<number>();
    const create = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'CREATE_VIEW',
        QUERY_TEXT: 'create or replace temporary view ANALYTICS.MART.FCT_ORDERS__dbt_tmp as (select * from ANALYTICS.STAGING.STG_ORDERS where updated_at > current_date - 1)',
        OBJECT_MODIFIED_BY_DDL: { objectDomain: 'View', objectId: 7001, objectName: 'ANALYTICS.MART.FCT_ORDERS__DBT_TMP', operationType: 'REPLACE', properties: {} } as never,
      }),
      ctx(temporary),
    );
    expect(create).toEqual({ event: null, writes: [] });
    const merge = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'MERGE',
        QUERY_TEXT: 'merge into ANALYTICS.MART.FCT_ORDERS as DBT_INTERNAL_DEST using ANALYTICS.MART.FCT_ORDERS__dbt_tmp as DBT_INTERNAL_SOURCE on DBT_INTERNAL_SOURCE.ID = DBT_INTERNAL_DEST.ID when matched then update set AMOUNT = DBT_INTERNAL_SOURCE.AMOUNT',
        BASE_OBJECTS_ACCESSED: [table(1001, 'ANALYTICS.STAGING.STG_ORDERS', ['ID', 'AMOUNT'])],
        OBJECTS_MODIFIED: [
          {
            objectDomain: 'Table',
            objectId: 3001,
            objectName: 'ANALYTICS.MART.FCT_ORDERS',
            columns: [
              {
                columnId: 1,
                columnName: 'AMOUNT',
                directSources: [src(7001, 'ANALYTICS.MART.FCT_ORDERS__DBT_TMP', 'AMOUNT', 'View')],
                baseSources: [src(1001, 'ANALYTICS.STAGING.STG_ORDERS', 'AMOUNT')],
              },
            ],
          },
        ],
        ROWS_WRITTEN: 12,
      }),
      ctx(temporary),
    );
    expect(names(merge.event!.inputs)).toEqual(['ANALYTICS.STAGING.STG_ORDERS']);
    expect(merge.event!.outputs[0].facets.columnLineage.fields.AMOUNT.inputFields).toEqual([{ namespace: NS, name: 'ANALYTICS.STAGING.STG_ORDERS', field: 'AMOUNT' }]);
    expect(merge.writes[0]).toMatchObject({ operation: 'MERGE', sources: [ds('ANALYTICS.STAGING.STG_ORDERS')] });
  });

  it('objectId given as text (as in the documented sample) still identifies a temporary table across statements', () => {
    const temporary = new Set<number>();
    mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'CREATE_TABLE_AS_SELECT',
        QUERY_TEXT: 'CREATE TEMPORARY TABLE STAGE_BATCH AS SELECT * FROM RAW.SHOP.ORDERS',
        OBJECT_MODIFIED_BY_DDL: { objectDomain: 'Table', objectId: '5501', objectName: 'ANALYTICS.PUBLIC.STAGE_BATCH', operationType: 'CREATE', properties: {} } as never,
        OBJECTS_MODIFIED: [table('5501', 'ANALYTICS.PUBLIC.STAGE_BATCH', ['ID'])],
      }),
      ctx(temporary),
    );
    const insert = mapAccessHistoryRow(
      row({
        QUERY_TEXT: 'INSERT INTO ANALYTICS.MART.ORDERS SELECT * FROM STAGE_BATCH',
        BASE_OBJECTS_ACCESSED: [table('5501', 'ANALYTICS.PUBLIC.STAGE_BATCH', ['ID'])],
        OBJECTS_MODIFIED: [{ objectDomain: 'Table', objectId: '3001', objectName: 'ANALYTICS.MART.ORDERS', columns: [{ columnId: 1, columnName: 'ID', directSources: [src('5501', 'ANALYTICS.PUBLIC.STAGE_BATCH', 'ID')], baseSources: [src('5501', 'ANALYTICS.PUBLIC.STAGE_BATCH', 'ID')] }] } as never],
      }),
      ctx(temporary),
    );
    expect(insert.event!.inputs).toEqual([]);
    expect(insert.writes[0].sources).toEqual([]);
  });

  it('a CREATE TEMPORARY TABLE behind a leading SQL comment is still temporary', () => {
    const mapped = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'CREATE_TABLE_AS_SELECT',
        QUERY_TEXT: '-- staging for the nightly batch\nCREATE OR REPLACE TEMPORARY TABLE ANALYTICS.PUBLIC.NIGHTLY_TMP AS SELECT ID FROM RAW.SHOP.ORDERS',
        BASE_OBJECTS_ACCESSED: [table(901, 'RAW.SHOP.ORDERS', ['ID'])],
        OBJECTS_MODIFIED: [table(5601, 'ANALYTICS.PUBLIC.NIGHTLY_TMP', ['ID'])],
        OBJECT_MODIFIED_BY_DDL: { objectDomain: 'Table', objectId: 5601, objectName: 'ANALYTICS.PUBLIC.NIGHTLY_TMP', operationType: 'REPLACE', properties: {} } as never,
      }),
      ctx(),
    );
    expect(mapped).toEqual({ event: null, writes: [] });
  });

  it('DROP VIEW (object_modified_by_ddl, domain View) is a DROP lifecycle change and no write', () => {
    const mapped = mapAccessHistoryRow(
      row({ QUERY_TYPE: 'DROP', QUERY_TEXT: 'DROP VIEW ANALYTICS.MART.V_REVENUE', OBJECT_MODIFIED_BY_DDL: { objectDomain: 'View', objectId: 4401, objectName: 'ANALYTICS.MART.V_REVENUE', operationType: 'DROP', properties: {} } as never }),
      ctx(),
    );
    expect(mapped.writes).toEqual([]);
    expect(mapped.event!.outputs).toEqual([expect.objectContaining({ name: 'ANALYTICS.MART.V_REVENUE', facets: expect.objectContaining({ lifecycleStateChange: expect.objectContaining({ lifecycleStateChange: 'DROP' }) }) })]);
  });

  it('ALTER TABLE … RENAME TO with quoted mixed-case names renames to the new name, keeping case', () => {
    const mapped = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'RENAME_TABLE',
        QUERY_TEXT: 'ALTER TABLE "Sales"."Orders_Old" RENAME TO "Sales"."Orders_2023"',
        OBJECT_MODIFIED_BY_DDL: { objectDomain: 'Table', objectId: 4501, objectName: 'ANALYTICS.Sales.Orders_Old', operationType: 'ALTER', properties: { name: { value: 'Orders_2023' } } } as never,
      }),
      ctx(),
    );
    expect(mapped.writes).toEqual([]);
    const out = mapped.event!.outputs[0];
    expect(out.name).toBe('ANALYTICS."Sales"."Orders_2023"');
    expect(out.facets.lifecycleStateChange).toMatchObject({ lifecycleStateChange: 'RENAME', previousIdentifier: { namespace: NS, name: 'ANALYTICS."Sales"."Orders_Old"' } });
  });

  it('one column from two directSources through a view: view columns and their base columns are all field inputs', () => {
    const mapped = mapAccessHistoryRow(
      row({
        QUERY_TEXT: "INSERT INTO CRM.CORE.CONTACTS (FULL_NAME) SELECT FIRST || ' ' || LAST FROM CRM.CORE.V_PEOPLE",
        BASE_OBJECTS_ACCESSED: [table(2101, 'CRM.RAW.PEOPLE', ['FIRST_NAME', 'LAST_NAME'])],
        OBJECTS_MODIFIED: [
          {
            objectDomain: 'Table',
            objectId: 2201,
            objectName: 'CRM.CORE.CONTACTS',
            columns: [
              {
                columnId: 1,
                columnName: 'FULL_NAME',
                directSources: [src(2301, 'CRM.CORE.V_PEOPLE', 'FIRST', 'View'), src(2301, 'CRM.CORE.V_PEOPLE', 'LAST', 'View')],
                baseSources: [src(2101, 'CRM.RAW.PEOPLE', 'FIRST_NAME'), src(2101, 'CRM.RAW.PEOPLE', 'LAST_NAME')],
              },
            ],
          },
        ],
      }),
      ctx(),
    );
    const fields = mapped.event!.outputs[0].facets.columnLineage.fields.FULL_NAME.inputFields.map((f: { name: string; field: string }) => `${f.name}.${f.field}`).sort();
    expect(fields).toEqual(['CRM.CORE.V_PEOPLE.FIRST', 'CRM.CORE.V_PEOPLE.LAST', 'CRM.RAW.PEOPLE.FIRST_NAME', 'CRM.RAW.PEOPLE.LAST_NAME']);
    expect(names(mapped.event!.inputs)).toEqual(['CRM.CORE.V_PEOPLE', 'CRM.RAW.PEOPLE']);
  });

  it('a multi-table INSERT ALL writes each target, each with the statement sources', () => {
    const mapped = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'MULTI_TABLE_INSERT',
        QUERY_TEXT: 'INSERT ALL WHEN AMOUNT > 1000 THEN INTO MART.BIG_ORDERS ELSE INTO MART.SMALL_ORDERS SELECT * FROM RAW.SHOP.ORDERS',
        BASE_OBJECTS_ACCESSED: [table(901, 'RAW.SHOP.ORDERS', ['ID', 'AMOUNT'])],
        OBJECTS_MODIFIED: [table(3101, 'ANALYTICS.MART.BIG_ORDERS', ['ID']), table(3102, 'ANALYTICS.MART.SMALL_ORDERS', ['ID'])],
        ROWS_WRITTEN: 90,
      }),
      ctx(),
    );
    expect(mapped.writes.map((w) => [w.dataset, w.operation, w.sources])).toEqual([
      [ds('ANALYTICS.MART.BIG_ORDERS'), 'INSERT', [ds('RAW.SHOP.ORDERS')]],
      [ds('ANALYTICS.MART.SMALL_ORDERS'), 'INSERT', [ds('RAW.SHOP.ORDERS')]],
    ]);
  });

  it('UPDATE … FROM a lookup: the lookup is the input, the target is not its own input', () => {
    const mapped = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'UPDATE',
        QUERY_TEXT: 'UPDATE MART.ORDERS o SET COUNTRY = c.COUNTRY FROM RAW.CRM.CUSTOMERS c WHERE c.ID = o.CUSTOMER_ID',
        BASE_OBJECTS_ACCESSED: [table(3001, 'ANALYTICS.MART.ORDERS', ['CUSTOMER_ID']), table(2001, 'RAW.CRM.CUSTOMERS', ['ID', 'COUNTRY'])],
        OBJECTS_MODIFIED: [{ objectDomain: 'Table', objectId: 3001, objectName: 'ANALYTICS.MART.ORDERS', columns: [{ columnId: 9, columnName: 'COUNTRY', directSources: [src(2001, 'RAW.CRM.CUSTOMERS', 'COUNTRY')], baseSources: [src(2001, 'RAW.CRM.CUSTOMERS', 'COUNTRY')] }] }],
        ROWS_WRITTEN: 33,
      }),
      ctx(),
    );
    expect(names(mapped.event!.inputs)).toEqual(['RAW.CRM.CUSTOMERS']);
    expect(mapped.writes[0]).toMatchObject({ operation: 'UPDATE', rows: 33, sources: [ds('RAW.CRM.CUSTOMERS')] });
  });

  it('DELETE … USING another table is reported as a DELETE with no sources and no lineage event', () => {
    const mapped = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'DELETE',
        QUERY_TEXT: 'DELETE FROM MART.ORDERS USING RAW.CRM.BLOCKED b WHERE ORDERS.CUSTOMER_ID = b.ID',
        BASE_OBJECTS_ACCESSED: [table(2002, 'RAW.CRM.BLOCKED', ['ID'])],
        OBJECTS_MODIFIED: [table(3001, 'ANALYTICS.MART.ORDERS')],
        ROWS_WRITTEN: 4,
      }),
      ctx(),
    );
    expect(mapped.event).toBeNull();
    expect(mapped.writes).toEqual([expect.objectContaining({ dataset: ds('ANALYTICS.MART.ORDERS'), operation: 'DELETE', sources: [], rows: 4 })]);
  });

  it('a CREATE VIEW (DDL only) names the view as created and is no write; functions among the objects are ignored', () => {
    const mapped = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'CREATE_VIEW',
        QUERY_TEXT: 'CREATE VIEW ANALYTICS.MART."vRevenue" AS SELECT GOVERNANCE.FUNCTIONS.RETURN_SUM(A, B) AS S FROM RAW.SHOP.ORDERS',
        BASE_OBJECTS_ACCESSED: [
          { objectDomain: 'FUNCTION', objectName: 'GOVERNANCE.FUNCTIONS.RETURN_SUM', objectId: '2', argumentSignature: '(NUM1 NUMBER, NUM2 NUMBER)', dataType: 'NUMBER(38,0)' } as AccessedObject,
          table(901, 'RAW.SHOP.ORDERS', ['A', 'B']),
        ],
        OBJECT_MODIFIED_BY_DDL: { objectDomain: 'View', objectId: 4601, objectName: 'ANALYTICS.MART."vRevenue"', operationType: 'CREATE', properties: {} } as never,
      }),
      ctx(),
    );
    expect(mapped.writes).toEqual([]);
    expect(names(mapped.event!.inputs)).toEqual(['RAW.SHOP.ORDERS']);
    expect(mapped.event!.outputs[0]).toMatchObject({ name: 'ANALYTICS.MART."vRevenue"', facets: { lifecycleStateChange: { lifecycleStateChange: 'CREATE' } } });
  });

  it('empty arrays and nulls: a statement that modified nothing yields nothing', () => {
    expect(mapAccessHistoryRow(row({ QUERY_TYPE: 'SELECT', OBJECTS_MODIFIED: [], BASE_OBJECTS_ACCESSED: null }), ctx())).toEqual({ event: null, writes: [] });
    expect(mapAccessHistoryRow(row({ QUERY_TYPE: 'SELECT', OBJECTS_MODIFIED: null, BASE_OBJECTS_ACCESSED: [table(901, 'RAW.SHOP.ORDERS')] }), ctx())).toEqual({ event: null, writes: [] });
  });

  it('an unquoted-stored mixed-case name from objectName is quoted; an External table input is a dataset', () => {
    const mapped = mapAccessHistoryRow(
      row({
        QUERY_TYPE: 'CREATE_TABLE_AS_SELECT',
        QUERY_TEXT: 'CREATE OR REPLACE TABLE "Marketing"."CampaignSpend" AS SELECT * FROM RAW.ADS.EXT_SPEND',
        BASE_OBJECTS_ACCESSED: [table(950, 'RAW.ADS.EXT_SPEND', ['VALUE'], 'External table')],
        OBJECTS_MODIFIED: [table(4701, 'ANALYTICS.Marketing.CampaignSpend', ['VALUE'])],
        OBJECT_MODIFIED_BY_DDL: { objectDomain: 'Table', objectId: 4701, objectName: 'ANALYTICS.Marketing.CampaignSpend', operationType: 'REPLACE', properties: {} } as never,
        ROWS_WRITTEN: 7,
      }),
      ctx(),
    );
    expect(mapped.writes).toEqual([expect.objectContaining({ dataset: ds('ANALYTICS."Marketing"."CampaignSpend"'), operation: 'CTAS', sources: [ds('RAW.ADS.EXT_SPEND')], rows: 7 })]);
  });

  describe('held back until the fixes were in (self-check)', () => {
    it('objectDomain spelled "Materialized view" or MATERIALIZED_VIEW is a dataset; Stream and Procedure are not', () => {
      const mapped = mapAccessHistoryRow(
        row({
          QUERY_TEXT: 'INSERT INTO MART.KPIS SELECT * FROM MART.MV_DAILY',
          BASE_OBJECTS_ACCESSED: [
            table(6001, 'ANALYTICS.MART.MV_DAILY', ['D'], 'Materialized view'),
            table(6002, 'ANALYTICS.MART.MV_WEEKLY', ['W'], 'MATERIALIZED_VIEW'),
            table(6003, 'ANALYTICS.MART.ORDERS_STREAM', ['ID'], 'Stream'),
            { objectDomain: 'Procedure', objectId: 6004, objectName: 'ANALYTICS.MART.LOAD_KPIS' } as AccessedObject,
          ],
          OBJECTS_MODIFIED: [table(6100, 'ANALYTICS.MART.KPIS', ['D'])],
        }),
        ctx(),
      );
      expect(names(mapped.event!.inputs)).toEqual(['ANALYTICS.MART.MV_DAILY', 'ANALYTICS.MART.MV_WEEKLY']);
    });

    it('a RENAME behind a leading comment, with unqualified names, lands in the session database and schema', () => {
      const mapped = mapAccessHistoryRow(
        row({
          QUERY_TYPE: 'RENAME_TABLE',
          DATABASE_NAME: 'ANALYTICS',
          SCHEMA_NAME: 'MART',
          QUERY_TEXT: '/* nightly rotation */ alter table orders_today rename to orders_yesterday',
          OBJECT_MODIFIED_BY_DDL: { objectDomain: 'Table', objectId: 6200, objectName: 'ANALYTICS.MART.ORDERS_TODAY', operationType: 'ALTER', properties: {} } as never,
        }),
        ctx(),
      );
      expect(mapped.event!.outputs[0]).toMatchObject({
        name: 'ANALYTICS.MART.ORDERS_YESTERDAY',
        facets: { lifecycleStateChange: { lifecycleStateChange: 'RENAME', previousIdentifier: { name: 'ANALYTICS.MART.ORDERS_TODAY' } } },
      });
    });

    it('dropping a temporary table known by a text objectId yields nothing; a SECURE TEMPORARY VIEW after `//` comments is temporary', () => {
      const temporary = new Set<number>([6300]);
      expect(
        mapAccessHistoryRow(row({ QUERY_TYPE: 'DROP', QUERY_TEXT: 'DROP TABLE T_SCRATCH', OBJECT_MODIFIED_BY_DDL: { objectDomain: 'Table', objectId: '6300', objectName: 'ANALYTICS.PUBLIC.T_SCRATCH', operationType: 'DROP', properties: {} } as never }), ctx(temporary)),
      ).toEqual({ event: null, writes: [] });
      mapAccessHistoryRow(
        row({
          QUERY_TYPE: 'CREATE_VIEW',
          QUERY_TEXT: '// scratch\ncreate or replace secure temporary view V_SCRATCH as select 1 as X',
          OBJECT_MODIFIED_BY_DDL: { objectDomain: 'View', objectId: 6301, objectName: 'ANALYTICS.PUBLIC.V_SCRATCH', operationType: 'CREATE', properties: {} } as never,
        }),
        ctx(temporary),
      );
      expect(temporary.has(6301)).toBe(true);
    });
  });
});
