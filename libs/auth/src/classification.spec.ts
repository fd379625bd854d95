import { classify, DEFAULT_RESTRICTED_TAGS, tagMatches } from './classification';

describe('tagMatches (rules from config, tags from the OpenLineage TagsDatasetFacet)', () => {
  it.each([
    [{ key: 'classification', value: 'restricted' }, true],
    [{ key: 'Classification', value: 'RESTRICTED' }, true],
    [{ key: 'classification', value: 'public' }, false],
    [{ key: 'pii', value: 'true' }, true],
    [{ key: 'pii', value: 'false' }, false],
    [{ key: 'classification', value: 'pii' }, true],
    [{ key: 'owner', value: 'team-a' }, false],
  ])('%j -> %s', (tag, restricted) => {
    expect(tagMatches(tag, DEFAULT_RESTRICTED_TAGS)).toBe(restricted);
  });
});

describe('classify', () => {
  it('restricts the dataset for a dataset tag and a column for a column tag (tags facet or schema field tags)', () => {
    const facets = {
      tags: { tags: [{ key: 'pii', value: 'true', field: 'email' }, { key: 'team', value: 'x' }] },
      schema: { fields: [{ name: 'ssn', type: 'string', tags: [{ key: 'classification', value: 'restricted' }] }, { name: 'id' }] },
    };
    const result = classify(facets, DEFAULT_RESTRICTED_TAGS);
    expect(result.dataset).toBe(false);
    expect([...result.fields].sort()).toEqual(['email', 'ssn']);
    expect(classify({ tags: { tags: [{ key: 'classification', value: 'restricted' }] } }, DEFAULT_RESTRICTED_TAGS).dataset).toBe(true);
    expect(classify(undefined, DEFAULT_RESTRICTED_TAGS)).toEqual({ dataset: false, fields: new Set() });
  });
});
