/** Test support of the Salesforce connector (a wire-level fake of the REST and Tooling APIs): `@lineage-hub/connector-salesforce/testing`, never the production barrel. */
export * from './salesforce.fake';
