/** Test support of the Snowflake connector (a wire-level fake of the SQL API): `@lineage-hub/connector-snowflake/testing`, never the production barrel. */
export * from './snowflake.fake';
