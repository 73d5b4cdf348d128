import fs from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../shared/ids.js';
import type { Mailer, OutgoingMail } from '../shared/mailer.js';

/**
 * Writes each mail as an RFC 5322 file under DATA_DIR/mail-drop, for desks without an SMTP relay
 * configured: an administrator can read or forward them, and nothing is lost.
 */
export class MailDrop implements Mailer {
  constructor(private readonly dir: string) {}

  async send(mail: OutgoingMail): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const headers = [
      `To: ${mail.to}`,
      `Subject: ${mail.subject.replace(/[\r\n]+/g, ' ')}`,
      `Date: ${new Date().toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8',
      'Auto-Submitted: auto-generated',
    ];
    await fs.writeFile(path.join(this.dir, `${newId()}.eml`), `${headers.join('\r\n')}\r\n\r\n${mail.text}`, {
      mode: 0o600,
    });
  }
}
