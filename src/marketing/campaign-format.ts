import type { CampaignPreview } from './campaign.service.ts';
import { formatLocal } from './campaign-time.ts';

/** The preview as plain text, for any channel: what the code gives, on what, to whom, and the message. */
export function formatCampaignPreview(p: CampaignPreview, timeZone: string): string {
  const total = p.recipients.telegram + p.recipients.discord;
  const more = p.products.count > p.products.titles.length ? `, … (${p.products.count - p.products.titles.length} more)` : '';
  return [
    'Campaign draft — nothing is created until you confirm.',
    `Code: ${p.draft.code} · ${p.offer}`,
    `On: ${p.scope} — ${p.products.count} product${p.products.count === 1 ? '' : 's'} for sale${p.products.titles.length ? `: ${p.products.titles.join(', ')}${more}` : ''}`,
    ...(p.draft.endsAt ? [`Ends: ${formatLocal(p.draft.endsAt, timeZone)}`] : []),
    `Who: ${p.audience} — ${total} recipient${total === 1 ? '' : 's'} (Telegram ${p.recipients.telegram}, Discord ${p.recipients.discord})`,
    '',
    'Announcement:',
    p.text,
    ...(total === 0 ? ['', 'Nobody in this segment has agreed to receive offers yet, so it cannot be sent.'] : []),
  ].join('\n');
}
