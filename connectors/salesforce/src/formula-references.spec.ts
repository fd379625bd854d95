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

  it('keeps the explicit owner type of a polymorphic Owner (Owner:User, Owner:Queue) as one hop', () => {
    expect(formulaFieldPaths('Owner:User.Email')).toEqual([['Owner:User', 'Email']]);
    expect(formulaFieldPaths('IF( ISBLANK( Owner:User.Id ), Owner:Queue.QueueEmail, Owner:User.Manager.Email )')).toEqual([
      ['Owner:User', 'Id'],
      ['Owner:Queue', 'QueueEmail'],
      ['Owner:User', 'Manager', 'Email'],
    ]);
  });

  it('reads managed-package names (ns__Field__c, ns__Rel__r) as fields and relationships', () => {
    expect(formulaFieldPaths('acme__Invoice__r.acme__Total__c * (1 - acme__Discount_Pct__c) + acme__Invoice__r.acme__Account__r.AnnualRevenue')).toEqual([
      ['acme__Invoice__r', 'acme__Total__c'],
      ['acme__Discount_Pct__c'],
      ['acme__Invoice__r', 'acme__Account__r', 'AnnualRevenue'],
    ]);
  });

  it('skips every global variable with its whole dotted tail ($Setup, $CustomMetadata, $ObjectType, $Label, $Organization, $Profile, $Permission)', () => {
    const formula = [
      'IF($Setup.Support_Settings__c.Escalate__c && $CustomMetadata.Tier__mdt.Gold.Threshold__c < Amount__c,',
      ' $Label.Escalated & $ObjectType.Case.Fields.Priority.Label & $Organization.Name & $Profile.Name,',
      ' IF($Permission.Can_Approve, Status__c, $User.Alias))',
    ].join('\n');
    expect(formulaFieldPaths(formula)).toEqual([['Amount__c'], ['Status__c']]);
  });

  it('a comment opener inside a string literal does not swallow the fields after it', () => {
    expect(formulaFieldPaths('SUBSTITUTE(Folder_Path__c, "/*", "") & File_Name__c & "*/"')).toEqual([['Folder_Path__c'], ['File_Name__c']]);
    expect(formulaFieldPaths("/* don't read Legacy_Total__c */ New_Total__c")).toEqual([['New_Total__c']]);
  });

  it('reads the fields picklist functions test, across relationships, and keeps multi-line formulas whole', () => {
    const formula = 'CASE( Priority ,\n "High", 3,\n "Medium", 2,\n 1) +\nIF( ISPICKVAL( Account.Rating , "Hot" ) && INCLUDES( Interests__c , "Golf;Tennis" ), 1, 0)\n+ IF (TEXT(Account.Parent.Type) = "Partner", 1, 0)';
    expect(formulaFieldPaths(formula)).toEqual([['Priority'], ['Account', 'Rating'], ['Interests__c'], ['Account', 'Parent', 'Type']]);
  });

  it('self-check: $User beside a lookup id, record type names, and numeric literals', () => {
    expect(formulaFieldPaths('$User.Id = OwnerId && RecordType.DeveloperName = "Partner"')).toEqual([['OwnerId'], ['RecordType', 'DeveloperName']]);
    expect(formulaFieldPaths('Amount * 1.05E3 + Discount__c ^ 2 / 100')).toEqual([['Amount'], ['Discount__c']]);
  });
});
