import { sampleAlert } from '../testing/alert.fixture';
import { slackError } from '../testing/fake-receivers.server';
import { SLACK_BLOCKS_MAX, SLACK_SECTION_MAX, slackBody, slackEscape } from './slack.notifier';

const message = (alert = sampleAlert(), action: 'trigger' | 'resolve' = 'trigger') => ({ action, alert, hubUrl: 'http://hub:4000', sentAt: new Date(), deliveryId: 'd1' });

describe('slack payload', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['<!channel>', '&lt;!channel&gt;'],
    ['<https://evil|click>', '&lt;https://evil|click&gt;'],
    ['plain', 'plain'],
  ])('escapes %s', (input, out) => expect(slackEscape(input)).toBe(out));

  it('has a plain text fallback and Block Kit the Slack format accepts', () => {
    const body = slackBody(message());
    expect(typeof body.text).toBe('string');
    expect(body.text).toContain('CRITICAL');
    expect(slackError(body)).toBeNull();
    const all = JSON.stringify(body.blocks);
    expect(all).toContain('marketing');
    expect(all).toContain('dataset:bigquery:fin.ledger.revenue');
  });

  it('cannot be made to mention the channel by a dataset name', () => {
    const body = slackBody(message(sampleAlert({ asset: 'dataset:x:<!channel>', summary: 'stale <!here> & <@U123>' })));
    expect(JSON.stringify(body)).not.toMatch(/<!channel>|<!here>|<@U123>/);
    expect(slackError(body)).toBeNull();
  });

  it('keeps every section within 3,000 characters and at most 50 blocks for a huge blast radius', () => {
    const affected = Array.from({ length: 400 }, (_, i) => ({ asset: `dataset:ns:${'x'.repeat(40)}_${i}`, domain: `d${i % 80}`, findingId: `f${i}`, kind: 'stale' }));
    const body = slackBody(message(sampleAlert({ affected, summary: 's'.repeat(5000) })));
    expect(body.blocks.length).toBeLessThanOrEqual(SLACK_BLOCKS_MAX);
    for (const block of body.blocks as any[]) if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_SECTION_MAX);
    expect(slackError(body)).toBeNull();
  });

  it('says RESOLVED on resolve', () => {
    expect(slackBody(message(sampleAlert(), 'resolve')).text).toMatch(/^RESOLVED/);
  });
});
