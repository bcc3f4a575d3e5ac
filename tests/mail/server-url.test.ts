// Mail server URLs as users type them: user names with @, default ports and folders, loopback-only
// plain text, and never a password.
import { describe, expect, it } from 'vitest';
import { formatServerUrl, isLoopback, parseServerUrl } from '../../src/mail/server-url.js';

describe('mail server URLs', () => {
  it('reads a provider login with @ in the user name, default ports and the INBOX folder', () => {
    const imap = parseServerUrl('imap', 'imaps://support%40shop.example@mail.shop.example');
    expect(imap).toMatchObject({ secure: true, host: 'mail.shop.example', port: 993, user: 'support@shop.example', folder: 'INBOX' });
    expect(parseServerUrl('smtp', 'smtps://support%40shop.example@mail.shop.example')).toMatchObject({
      port: 465,
      user: 'support@shop.example',
      folder: '',
    });
    expect(parseServerUrl('smtp', 'smtp://u@127.0.0.1')).toMatchObject({ secure: false, port: 587 });
    const folder = parseServerUrl('imap', 'imaps://u@h.example:1993/Support%20Tickets/2026');
    expect(folder).toMatchObject({ port: 1993, folder: 'Support Tickets/2026' });
    // What is stored reads back the same.
    expect(parseServerUrl('imap', formatServerUrl(folder))).toEqual(folder);
    expect(formatServerUrl(imap)).toBe('imaps://support%40shop.example@mail.shop.example:993/INBOX');
  });

  it('allows plain text only to loopback hosts unless asked for by name', () => {
    for (const host of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]']) expect(isLoopback(host)).toBe(true);
    for (const host of ['mail.example.com', '10.0.0.1', '127.example.com']) expect(isLoopback(host)).toBe(false);
    expect(() => parseServerUrl('imap', 'imap://u@10.0.0.1')).toThrow(/--insecure/);
    expect(parseServerUrl('imap', 'imap://u@10.0.0.1', { insecure: true })).toMatchObject({ secure: false, port: 143 });
    expect(() => parseServerUrl('smtp', 'smtp://u:secret@127.0.0.1')).toThrow(/must not contain a password/);
    expect(() => parseServerUrl('smtp', 'smtps://u@h.example/INBOX')).toThrow(/takes no folder/);
    expect(() => parseServerUrl('imap', 'https://u@h.example')).toThrow(/imaps:\/\//);
    expect(() => parseServerUrl('imap', 'not a url')).toThrow(/must be a URL/);
  });
});
