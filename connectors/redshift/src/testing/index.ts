/** Test support of the Redshift connector (a wire-level fake of Redshift's system views): `@lineage-hub/connector-redshift/testing`, never the production barrel. */
export * from './redshift-fake';
