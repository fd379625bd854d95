import { DomainError } from './errors';
import { parseTransformationFilter, TRANSFORMATION_FILTERS } from './openlineage-transformations';

describe('transformation filters', () => {
  it('takes types and type/subtype pairs in any case, once each', () => {
    expect(parseTransformationFilter('direct, INDIRECT/join,DIRECT')).toEqual(['DIRECT', 'INDIRECT/JOIN']);
    expect(TRANSFORMATION_FILTERS).toContain('INDIRECT/GROUP_BY');
  });

  it('refuses an unknown value with an invalid-argument error naming the parameter and listing the valid ones', () => {
    try {
      parseTransformationFilter('DIRECT,MAGIC,DIRECT/JOIN');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'invalid-argument', field: 'transformations' });
      expect((error as Error).message).toMatch(/"MAGIC", "DIRECT\/JOIN"; valid: DIRECT, DIRECT\/IDENTITY/);
    }
  });
});
