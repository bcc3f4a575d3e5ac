// Building a reply as a mail, once: the bytes stored in the outbox are the bytes every attempt sends.
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface ReplyMail {
  from: { name: string; address: string };
  to: { name: string; address: string };
  replyTo: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  date: Date;
  itemId: number;
}

/** `Re: <subject> [#id]`: one Re:, one tag, whatever the subject carried before. */
export function replySubject(subject: string, itemId: number): string {
  const bare = subject
    .replace(/\s*\[#\d+\]\s*/g, ' ')
    .replace(/^\s*((re|aw|sv|fwd?)\s*:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `Re: ${bare || '(no subject)'} [#${itemId}]`;
}

/** Tandem's own Message-IDs name the item, so a reply that lost its references still threads. */
export function newMessageId(itemId: number, address: string): string {
  const domain = address.split('@')[1] || 'tandem.invalid';
  return `<tandem.${itemId}.${randomBytes(8).toString('hex')}@${domain}>`;
}

/** The item a Tandem Message-ID names, or null. */
export function itemOfTandemMessageId(id: string): number | null {
  const m = /^<?tandem\.(\d+)\.[0-9a-f]{8,32}@[^>\s]+>?$/i.exec(id.trim());
  return m ? Number(m[1]) : null;
}

export async function buildReplyMail(m: ReplyMail): Promise<Buffer> {
  const composer = new MailComposer({
    from: m.from,
    to: m.to,
    replyTo: m.replyTo,
    subject: m.subject,
    text: m.text,
    messageId: m.messageId,
    date: m.date,
    ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}),
    ...(m.references.length ? { references: m.references } : {}),
    headers: { 'X-Tandem-Item': String(m.itemId) },
  });
  return composer.compile().build();
}
