import { datasetTagsFromRow } from './dataset-tags';

describe('datasetTagsFromRow', () => {
  const facets = (tags: unknown[]) => JSON.stringify({ tags: { _producer: 'p', _schemaURL: 's', tags } });

  it.each([
    ['a dataset tag gives key:value then key', facets([{ key: 'tier', value: 'gold', source: 'CONFIG' }]), '[]', ['tier:gold', 'tier']],
    ['an empty value gives the key alone', facets([{ key: 'pii', value: '' }]), '[]', ['pii']],
    [
      "dataset tags before column tags (facet entries with a field, then schema field tags)",
      facets([{ key: 'classification', value: 'sensitive', field: 'email' }, { key: 'tier', value: 'gold' }]),
      JSON.stringify([{ name: 'email', tags: ['pii'] }]),
      ['tier:gold', 'tier', 'classification:sensitive', 'classification', 'pii'],
    ],
    ['no tags facet', '{}', JSON.stringify([{ name: 'id', tags: [] }]), []],
    ['malformed JSON and entries are ignored', '{not json', facets([null, 'x', { value: 'no key' }]), []],
  ])('%s', (_name, f, fields, expected) => {
    expect(datasetTagsFromRow(f, fields)).toEqual(expected);
  });
});
