import { schemaFields } from '../derive/schema-fields.derivation';
import { fieldsColumn, fieldsFromColumn, fieldsTextFromColumns } from './stored-fields.codec';

const facets = {
  schema: { fields: [{ name: 'id', type: 'INT', description: 'key', tags: [{ key: 'pii' }] }, { name: 'address', type: 'STRUCT', fields: [{ name: 'city', type: 'TEXT' }] }] },
};
const fields = schemaFields(facets.schema)!;

describe('stored fields codec', () => {
  it('stores nothing for fields its schema facet gives, and reads them back from the facets', () => {
    expect(fieldsColumn(fields, facets)).toBe('');
    expect(fieldsFromColumn('', JSON.parse(JSON.stringify(facets)))).toEqual(fields);
    expect(fieldsTextFromColumns('', JSON.stringify(facets))).toBe(JSON.stringify(fields));
    expect(fieldsColumn([], { documentation: { description: 'no schema' } })).toBe('');
    expect(fieldsFromColumn('', {})).toEqual([]);
  });

  it('stores fields that differ from the schema facet as JSON, and reads them (and rows stored as JSON before) as stored', () => {
    const other = [{ name: 'id', type: 'INT', description: 'another description', tags: [] }];
    expect(fieldsColumn(other, facets)).toBe(JSON.stringify(other));
    expect(fieldsFromColumn(JSON.stringify(other), facets)).toEqual(other);
    expect(fieldsColumn(fields, {})).toBe(JSON.stringify(fields));
    expect(fieldsFromColumn(JSON.stringify(fields), {})).toEqual(fields);
    expect(fieldsTextFromColumns(JSON.stringify(other), JSON.stringify(facets))).toBe(JSON.stringify(other));
  });
});
