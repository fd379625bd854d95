import { DomainError } from '@lineage-hub/model';
import { checkTimeZone, statsBoundaries } from './stats-buckets';

describe('stats buckets', () => {
  const now = Date.parse('2026-03-29T10:17:00Z');

  it('DAY: the 24 hours ending with the current one', () => {
    const b = statsBoundaries('DAY', now);
    expect(b).toHaveLength(25);
    expect(new Date(b[0]).toISOString()).toBe('2026-03-28T11:00:00.000Z');
    expect(new Date(b[24]).toISOString()).toBe('2026-03-29T11:00:00.000Z');
  });

  it('WEEK: seven local days ending with today, at local midnights (DST day is 23 hours)', () => {
    const b = statsBoundaries('WEEK', now, 'Europe/Paris');
    expect(b).toHaveLength(8);
    expect(new Date(b[0]).toISOString()).toBe('2026-03-22T23:00:00.000Z'); // 23 March, CET
    expect(new Date(b[6]).toISOString()).toBe('2026-03-28T23:00:00.000Z'); // 29 March starts in CET...
    expect(new Date(b[7]).toISOString()).toBe('2026-03-29T22:00:00.000Z'); // ...and ends in CEST
  });

  it('WEEK in UTC and across the date line', () => {
    expect(new Date(statsBoundaries('WEEK', now, 'UTC')[6]).toISOString()).toBe('2026-03-29T00:00:00.000Z');
    // 10:17Z is already 23:17 on 29 March in Auckland (NZDT, +13)
    expect(new Date(statsBoundaries('WEEK', now, 'Pacific/Auckland')[6]).toISOString()).toBe('2026-03-28T11:00:00.000Z');
  });

  it('refuses an unknown time zone naming the parameter', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(DomainError);
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/timezone/);
    expect(checkTimeZone('UTC')).toBe('UTC');
  });
});
