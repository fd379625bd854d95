/** Test support of the BigQuery connector (a wire-level fake of the BigQuery REST API): `@lineage-hub/connector-bigquery/testing`, never the production barrel. */
export * from './bigquery.fake';
