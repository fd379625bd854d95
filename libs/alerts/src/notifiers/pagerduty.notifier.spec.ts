import { sampleAlert } from '../testing/alert.fixture';
import { pagerDutyErrors } from '../testing/fake-receivers.server';
import { PD_SUMMARY_MAX, pagerDutyBody } from './pagerduty.notifier';

const KEY = 'R0123456789ABCDEF0123456789ABCDE';
const message = (action: 'trigger' | 'acknowledge' | 'resolve', alert = sampleAlert()) => ({ action, alert, hubUrl: 'http://hub:4000', sentAt: new Date(), deliveryId: 'd1' });

describe('PagerDuty Events v2 payload', () => {
  it('a trigger carries every payload field Events v2 documents, and links back to the hub', () => {
    const body: any = pagerDutyBody(message('trigger'), KEY);
    expect(pagerDutyErrors(body)).toEqual([]);
    expect(body).toMatchObject({ routing_key: KEY, event_action: 'trigger', dedup_key: 'al_0123456789abcdef0123' });
    expect(body.payload).toMatchObject({ source: expect.any(String), severity: 'critical', timestamp: '2026-01-05T06:00:00.000Z', component: expect.any(String), group: 'sales', class: 'stale' });
    expect(body.payload.custom_details.affected).toEqual({ marketing: ['dataset:snowflake://acme:MKT.PUBLIC.CAMPAIGNS'], finance: ['dataset:bigquery:fin.ledger.revenue'] });
    expect(body.links[0].href).toBe('http://hub:4000/api/v1/alerts/al_0123456789abcdef0123');
  });

  it.each(['acknowledge', 'resolve'] as const)('%s sends the same dedup_key and no payload', (action) => {
    const body: any = pagerDutyBody(message(action), KEY);
    expect(body).toEqual({ routing_key: KEY, event_action: action, dedup_key: 'al_0123456789abcdef0123' });
    expect(pagerDutyErrors(body)).toEqual([]);
  });

  it('cuts the summary to 1,024 characters', () => {
    const body: any = pagerDutyBody(message('trigger', sampleAlert({ summary: 'x'.repeat(5000) })), KEY);
    expect(body.payload.summary.length).toBe(PD_SUMMARY_MAX);
    expect(pagerDutyErrors(body)).toEqual([]);
  });
});
