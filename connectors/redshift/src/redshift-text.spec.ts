import { rebuildQueryText } from './redshift-text';

const pad = (s: string) => s.padEnd(200, ' ');

describe('rebuildQueryText', () => {
  it('orders pieces by sequence and keeps a real space at a 200-character border', () => {
    const first = 'a'.repeat(199) + ' ';
    const second = 'FROM t';
    expect(rebuildQueryText([{ sequence: 1, text: pad(second) }, { sequence: 0, text: first }])).toBe(`${'a'.repeat(199)} FROM t`);
  });

  it('trims only the trailing blanks of the whole text and turns \\n into newlines', () => {
    expect(rebuildQueryText([{ sequence: 0, text: pad('SELECT 1\\nFROM x  ') }])).toBe('SELECT 1\nFROM x');
  });

  it('returns an empty string for no pieces', () => {
    expect(rebuildQueryText([])).toBe('');
  });
});
