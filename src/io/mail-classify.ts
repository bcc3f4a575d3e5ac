// Telling machine mail from people: bounces (delivery failures), auto-replies (out of office,
// Auto-Submitted, Precedence: bulk) and list mail (List-Id, Precedence: list), so an import or a
// mailbox fetch can skip or flag them instead of mixing them in (and never answers them).
import type { ParsedMail } from 'mailparser';

export type MachineMail = 'bounce' | 'auto-reply' | 'list';

function header(mail: ParsedMail, name: string): string {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value.toLowerCase();
  return String(v).toLowerCase();
}

export function classifyMail(mail: ParsedMail): MachineMail | null {
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  const subject = (mail.subject ?? '').toLowerCase();
  const contentType = header(mail, 'content-type');
  if (
    /^(mailer-daemon|postmaster)@/.test(from) ||
    contentType.includes('multipart/report') ||
    contentType.includes('delivery-status') ||
    /^(undeliver|delivery status notification|returned mail|mail delivery (failed|failure)|failure notice)/.test(subject)
  ) {
    return 'bounce';
  }
  const autoSubmitted = header(mail, 'auto-submitted');
  const precedence = header(mail, 'precedence');
  if (
    (autoSubmitted && autoSubmitted !== 'no') ||
    /^(bulk|junk|auto_reply)$/.test(precedence.trim()) ||
    mail.headers.has('x-autoreply') ||
    mail.headers.has('x-autorespond') ||
    /^(auto(matic)?[ -]?(reply|response)|out of (the )?office|abwesenheit)/.test(subject)
  ) {
    return 'auto-reply';
  }
  // mailparser gathers List-Id, List-Unsubscribe… under one 'list' header.
  if (mail.headers.has('list') || mail.headers.has('list-id') || precedence.trim() === 'list') return 'list';
  return null;
}
