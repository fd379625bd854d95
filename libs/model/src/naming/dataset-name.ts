/** An OpenLineage dataset reference: namespace (the data source) and name (the dataset within it). */
export interface DatasetName {
  namespace: string;
  name: string;
}

/** One platform's canonicalisation, given the already split namespace. */
export type PlatformNaming = (uri: import('./namespace-uri').NamespaceUri, name: string) => DatasetName;
