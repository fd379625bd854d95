import { sampleAlert } from '../testing/alert.fixture';
import { alertmanagerBody } from './alertmanager.notifier';

const message = (action: 'trigger' | 'acknowledge' | 'resolve', alert = sampleAlert()) => ({ action, alert, hubUrl: 'http://hub:4000', sentAt: new Date('2026-01-05T07:00:00Z'), deliveryId: 'd1' });

describe('Alertmanager v2 payload', () => {
  it('is a list of alerts with alertname, valid label names, startsAt and generatorURL, and no endsAt while active', () => {
    const [alert] = alertmanagerBody(message('trigger'));
    expect(alert.labels.alertname).toBe('stale');
    for (const name of Object.keys(alert.labels)) expect(name).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
    for (const value of Object.values(alert.labels)) expect(typeof value).toBe('string');
    expect(alert.startsAt).toBe('2026-01-05T06:00:00.000Z');
    expect(alert.generatorURL).toBe('http://hub:4000/api/v1/alerts/al_0123456789abcdef0123');
    expect(alert).not.toHaveProperty('endsAt');
    expect(alert.annotations.affected).toContain('marketing: dataset:snowflake://acme:MKT.PUBLIC.CAMPAIGNS');
  });

  it('sets endsAt on resolve (the resolution time, else now)', () => {
    expect(alertmanagerBody(message('resolve', sampleAlert({ resolvedAt: '2026-01-05T06:30:00.000Z' })))[0].endsAt).toBe('2026-01-05T06:30:00.000Z');
    expect(alertmanagerBody(message('resolve'))[0].endsAt).toBe('2026-01-05T07:00:00.000Z');
  });

  it('an acknowledged alert is still active for Alertmanager', () => {
    expect(alertmanagerBody(message('acknowledge'))[0]).not.toHaveProperty('endsAt');
  });
});
