/**
 * Slack incoming webhook: Block Kit blocks plus a plain `text` fallback. Limits from Slack's reference: a
 * section's text at most 3,000 characters, a header's 150, at most 50 blocks per message. Text is escaped
 * (`&`, `<`, `>`) so no finding can inject `<!channel>` or a link.
 */
import type { ReceiverConfig } from '../alert-routes.schema';
import { affectedByDomain, alertUrl, domainCounts, truncate } from './alert-links';
import { postJson } from './http-delivery';
import type { DeliveryResult, NotificationMessage, Notifier, SecretResolver } from './notifier.port';

type SlackReceiver = Extract<ReceiverConfig, { kind: 'slack' }>;

export const SLACK_SECTION_MAX = 3000;
export const SLACK_HEADER_MAX = 150;
export const SLACK_BLOCKS_MAX = 50;

export const slackEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_SECTION_MAX) } });

const ICON: Record<string, string> = { trigger: ':rotating_light:', acknowledge: ':eyes:', resolve: ':white_check_mark:' };

export const slackBody = (message: NotificationMessage) => {
  const { alert, action } = message;
  const e = slackEscape;
  const title = `${action === 'resolve' ? 'RESOLVED' : alert.severity.toUpperCase()}: ${alert.kind} on ${alert.asset}`;
  const blocks: unknown[] = [
    // plain_text takes no entities: angle brackets become look-alikes so nothing reads as a mention.
    { type: 'header', text: { type: 'plain_text', text: truncate(title.replace(/</g, '‹').replace(/>/g, '›'), SLACK_HEADER_MAX), emoji: true } },
    section(`${ICON[action]} ${e(alert.summary)}`),
    section(
      `*Root cause:* \`${e(alert.asset)}\` (${e(alert.domain)})\n*Severity:* ${alert.severity}  *Status:* ${action === 'resolve' ? 'resolved' : alert.status}\n` +
        `*Blast radius:* ${alert.blastRadius.datasets} dataset(s)${alert.blastRadius.datasets ? ` (${e(domainCounts(alert))})` : ''}`,
    ),
  ];
  if (alert.blastRadius.critical.length)
    blocks.push(section(`*Critical consumers:*\n${alert.blastRadius.critical.map((c) => `• \`${e(c.id)}\` (${e(c.domain)}, ${e(c.reason)})`).join('\n')}`));
  for (const [domain, assets] of Object.entries(affectedByDomain(alert, 30))) {
    if (blocks.length >= SLACK_BLOCKS_MAX - 2) break;
    blocks.push(section(`*Affected in ${e(domain)}:*\n${assets.map((a) => `• \`${e(a)}\``).join('\n')}`));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`<${alertUrl(message.hubUrl, alert)}|alert ${e(alert.id)}> · ${e(alert.key)}`, SLACK_SECTION_MAX) }] });
  return { text: truncate(e(`${title}: ${alert.summary}`), SLACK_SECTION_MAX), blocks: blocks.slice(0, SLACK_BLOCKS_MAX) };
};

export class SlackNotifier implements Notifier<SlackReceiver> {
  readonly kind = 'slack' as const;

  send(receiver: SlackReceiver, message: NotificationMessage, _secrets?: SecretResolver): Promise<DeliveryResult> {
    return postJson(receiver.url, JSON.stringify(slackBody(message)));
  }
}
