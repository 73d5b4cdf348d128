import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { mailLocale, type MailLocale } from '../notifications/mail-text.js';
import { bracketed, newMessageId, type OutboxRepository } from '../notifications/outbox.js';
import type { LocalizedText, SupportPolicy } from '../policy/model.js';
import type { PolicyTermsResolver } from '../sla/terms.js';
import {
  limitPhrase,
  p0Sentence,
  reasonSentence,
  refusalSentences,
  untilSentence,
  type LimitFacts,
  type Refusal,
} from './limits/text.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** One open flag's evidence as a mail lists it (the flags of fair use give it). */
export interface FlagEvidence {
  kind: string;
  evidence: {
    ticket?: { number: number; subject: string };
    matches?: { number: number; subject: string }[];
    article?: { title: string; url: string };
    note?: string;
  }[];
}

interface Recipient {
  email: string;
  name: string;
  locale: MailLocale;
}

/** Who is told about an organization's support limits, and the policy they are under. */
export interface Audience {
  organization: { id: string; name: string };
  contacts: Recipient[];
  policy: SupportPolicy;
}

type Texts = {
  greeting: string;
  signature: string;
  section: string;
  applied: { subject: string; intro: string };
  lifted: { subject: string; intro: string };
  message: { subject: string; intro: string; evidence: string; repeats: string };
  refusal: { subject: string; intro: string };
  flags: Record<string, string>;
};

const TEXTS: Record<MailLocale, Texts> = {
  en: {
    greeting: 'Hello {name},',
    signature: '{vendor} Support',
    section: 'Section 5 of the {vendor} support policy, \u201c{title}\u201d:',
    applied: {
      subject: 'Support limit for {organization}',
      intro: '{vendor} support has limited the support of {organization}: {limit}.',
    },
    lifted: {
      subject: 'Support limit lifted for {organization}',
      intro: '{vendor} support has lifted the limit on the support of {organization} ({limit}).',
    },
    message: {
      subject: 'About your use of {vendor} support',
      intro: '{author}, of {vendor} support, writes:',
      evidence: 'What we see:',
      repeats: 'repeats',
    },
    refusal: {
      subject: 'Re: {subject}',
      intro: 'We received your message \u201c{subject}\u201d but could not file it as a ticket.',
    },
    flags: {
      repeat_incident: 'Requests about incidents already resolved',
      helpcenter_answered: 'Questions the help center answers',
      off_topic: 'Requests unrelated to support',
      volume: 'Number of requests',
    },
  },
  fr: {
    greeting: 'Bonjour {name},',
    signature: 'Le support {vendor}',
    section: 'Section 5 de la politique de support {vendor}, \u00ab\u00a0{title}\u00a0\u00bb\u00a0:',
    applied: {
      subject: 'Limite de support pour {organization}',
      intro: 'Le support {vendor} a limit\u00e9 le support de {organization}\u00a0: {limit}.',
    },
    lifted: {
      subject: 'Limite de support lev\u00e9e pour {organization}',
      intro: 'Le support {vendor} a lev\u00e9 la limite sur le support de {organization} ({limit}).',
    },
    message: {
      subject: 'Votre utilisation du support {vendor}',
      intro: '{author}, du support {vendor}, vous \u00e9crit\u00a0:',
      evidence: 'Ce que nous constatons\u00a0:',
      repeats: 'reprend',
    },
    refusal: {
      subject: 'Re: {subject}',
      intro:
        'Nous avons bien re\u00e7u votre message \u00ab\u00a0{subject}\u00a0\u00bb, mais nous n\u2019avons pas pu l\u2019enregistrer comme ticket.',
    },
    flags: {
      repeat_incident: 'Demandes sur des incidents d\u00e9j\u00e0 r\u00e9solus',
      helpcenter_answered: 'Questions auxquelles le centre d\u2019aide r\u00e9pond',
      off_topic: 'Demandes sans rapport avec le support',
      volume: 'Nombre de demandes',
    },
  },
};

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_m, key: string) => String(values[key] ?? ''));

const quote = (lines: string[]) => lines.map((l) => (l === '' ? '>' : `> ${l}`));

/** Policy section 5 (exclusions and inappropriate use) as the policy version writes it, quoted. */
export function sectionFive(policy: SupportPolicy, locale: MailLocale): string[] {
  const { exclusions } = policy;
  const text = (t: LocalizedText) => t[locale];
  return [
    fill(TEXTS[locale].section, { vendor: policy.vendor, title: text(exclusions.title) }),
    ...quote([
      text(exclusions.text),
      ...exclusions.excluded.map((e) => `- ${text(e.text)}`),
      '',
      text(exclusions.inappropriateUse.text),
      text(exclusions.inappropriateUse.examplesIntro),
      ...exclusions.inappropriateUse.examples.map((e) => `- ${text(e.text)}`),
    ]),
  ];
}

export interface ContactMailDeps {
  db: Kysely<Database>;
  outbox: OutboxRepository;
  /** The policy version an organization is under (its subscription's, or the one in force). */
  terms: PolicyTermsResolver;
  supportEmail: string;
}

/**
 * The mail fair use sends customers, each in the reader's language and quoting policy section 5 of
 * the version they are under: a limit applied or lifted and a lead's message (to the
 * organization's active contacts), and the answer to an inbound mail a limit refused.
 */
export class FairUseContactMail {
  constructor(private readonly deps: ContactMailDeps) {}

  /** The organization's active contacts and its policy; read before the transaction that queues. */
  async audience(organizationId: string, now: number): Promise<Audience | undefined> {
    const { db } = this.deps;
    const organization = await db
      .selectFrom('organizations')
      .select(['id', 'name', 'locale'])
      .where('id', '=', organizationId)
      .executeTakeFirst();
    if (!organization) return undefined;
    const contacts = await db
      .selectFrom('users')
      .select(['email', 'name', 'locale'])
      .where('organization_id', '=', organizationId)
      .where('role', '=', 'contact')
      .where('deactivated_at', 'is', null)
      .orderBy('created_at')
      .limit(100)
      .execute();
    const { policy } = await this.policyOf(organizationId, now);
    return {
      organization: { id: organization.id, name: organization.name },
      contacts: contacts.map((c) => ({
        email: c.email,
        name: c.name,
        locale: mailLocale(c.locale, organization.locale),
      })),
      policy,
    };
  }

  policyOf(organizationId: string, now: number, executor: Executor = this.deps.db) {
    return this.deps.terms.versionForTicket(
      { policy_version_id: null, organization_id: organizationId, created_at: now },
      executor,
    );
  }

  async limitApplied(trx: Executor, audience: Audience, limit: LimitFacts, now: number) {
    await this.toContacts(trx, audience, 'fairuse_limit_applied', now, (t, locale) => ({
      subject: fill(t.applied.subject, { organization: audience.organization.name }),
      body: [
        fill(t.applied.intro, {
          vendor: audience.policy.vendor,
          organization: audience.organization.name,
          limit: limitPhrase(limit, locale),
        }),
        reasonSentence(limit.reason, locale),
        untilSentence(limit.endsAt, locale),
        p0Sentence(locale),
      ],
    }));
  }

  async limitLifted(trx: Executor, audience: Audience, limit: LimitFacts, reason: string, now: number) {
    await this.toContacts(trx, audience, 'fairuse_limit_lifted', now, (t, locale) => ({
      subject: fill(t.lifted.subject, { organization: audience.organization.name }),
      body: [
        fill(t.lifted.intro, {
          vendor: audience.policy.vendor,
          organization: audience.organization.name,
          limit: limitPhrase(limit, locale),
        }),
        reasonSentence(reason, locale),
      ],
    }));
  }

  /** A lead's own words to the contacts, with the evidence of the flags they chose. */
  async message(
    trx: Executor,
    audience: Audience,
    input: { author: string; message: string; flags: FlagEvidence[] },
    now: number,
  ) {
    await this.toContacts(trx, audience, 'fairuse_message', now, (t) => {
      const evidence = input.flags.flatMap((flag) => [
        '',
        `${t.flags[flag.kind] ?? flag.kind}:`,
        ...flag.evidence.flatMap((e) => evidenceLines(e, t)),
      ]);
      return {
        subject: fill(t.message.subject, { vendor: audience.policy.vendor }),
        body: [
          fill(t.message.intro, { author: input.author, vendor: audience.policy.vendor }),
          '',
          input.message,
          ...(evidence.length > 0 ? ['', t.message.evidence, ...evidence] : []),
        ],
      };
    });
  }

  /** Answers an inbound mail a limit refused, so that nothing the customer sends disappears silently. */
  async refusal(
    executor: Executor,
    to: { email: string; name: string; locale: MailLocale },
    mail: { subject: string; messageId: string | null },
    refusal: Refusal,
    policy: SupportPolicy,
    now: number,
  ) {
    const t = TEXTS[to.locale];
    const subject = mail.subject.trim() || '(no subject)';
    await this.queue(executor, 'fairuse_refusal', now, {
      to: to.email,
      subject: fill(t.refusal.subject, { subject }).slice(0, 300),
      text: this.letter(t, to, policy, [
        fill(t.refusal.intro, { subject }),
        '',
        ...refusalSentences(refusal, to.locale),
      ]),
      headers: {
        'Auto-Submitted': 'auto-replied',
        ...(mail.messageId
          ? { 'In-Reply-To': bracketed(mail.messageId), References: bracketed(mail.messageId) }
          : {}),
      },
    });
  }

  private async toContacts(
    trx: Executor,
    audience: Audience,
    kind: string,
    now: number,
    compose: (t: Texts, locale: MailLocale) => { subject: string; body: string[] },
  ) {
    for (const contact of audience.contacts) {
      const t = TEXTS[contact.locale];
      const { subject, body } = compose(t, contact.locale);
      await this.queue(trx, kind, now, {
        to: contact.email,
        subject,
        text: this.letter(t, contact, audience.policy, body),
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    }
  }

  private letter(t: Texts, to: Recipient, policy: SupportPolicy, body: string[]): string {
    return [
      fill(t.greeting, { name: to.name }),
      '',
      ...body,
      '',
      ...sectionFive(policy, to.locale),
      '',
      fill(t.signature, { vendor: policy.vendor }),
    ].join('\n');
  }

  private async queue(
    executor: Executor,
    kind: string,
    now: number,
    mail: { to: string; subject: string; text: string; headers: Record<string, string> },
  ) {
    await this.deps.outbox.enqueue(
      executor,
      { kind, ...mail, messageId: newMessageId(this.deps.supportEmail) },
      now,
    );
  }
}

function evidenceLines(e: FlagEvidence['evidence'][number], t: Texts): string[] {
  const lines: string[] = [];
  if (e.ticket) {
    const repeats = (e.matches ?? []).map((m) => `#${m.number} ${m.subject}`);
    lines.push(
      `- #${e.ticket.number} ${e.ticket.subject}${repeats.length > 0 ? ` (${t.message.repeats} ${repeats.join(', ')})` : ''}`,
    );
  }
  if (e.article) lines.push(`- ${e.article.title}: ${e.article.url}`);
  if (!e.ticket && !e.article && e.note) lines.push(`- ${e.note}`);
  return lines;
}
