export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Where a context's own mail leaves from (a password reset link, say). The notifications context
 * plugs its outbox in; without a relay the outbox writes to the mail drop.
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
