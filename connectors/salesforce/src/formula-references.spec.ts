import { formulaFieldPaths } from './formula-references';

describe('formulaFieldPaths', () => {
  it('finds plain fields and relationship paths, once each', () => {
    expect(formulaFieldPaths('Amount * Probability / 100 * (1 - Account.Discount__c) + Amount')).toEqual([
      ['Amount'],
      ['Probability'],
      ['Account', 'Discount__c'],
    ]);
    expect(formulaFieldPaths('Account.Owner.Name')).toEqual([['Account', 'Owner', 'Name']]);
  });

  it('skips functions, global variables, literals, strings and comments', () => {
    expect(formulaFieldPaths('TEXT(Invoice__r.Account__r.Industry) & " (" & $User.Alias & ")" /* Notes__c */')).toEqual([
      ['Invoice__r', 'Account__r', 'Industry'],
    ]);
    expect(formulaFieldPaths("IF(ISBLANK(Notes__c), 'Total__c', NULL) && TRUE")).toEqual([['Notes__c']]);
    expect(formulaFieldPaths('BLANKVALUE ( Discount__c , 0 )')).toEqual([['Discount__c']]);
  });
});
