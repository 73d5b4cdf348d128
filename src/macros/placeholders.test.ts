import { describe, expect, it } from 'vitest';
import { firstNameOf, renderPlaceholders, textFor, unknownPlaceholders } from './placeholders.js';

const values = {
  'requester.firstName': 'Ana',
  'requester.name': 'Ana María López',
  'ticket.number': '1042',
  'ticket.subject': 'Sync stuck',
  'organization.name': 'Globex',
  'sla.firstResponse': '1 business day (business hours, US Eastern)',
  'agent.name': 'Sam Agent',
};

describe('macro placeholders', () => {
  it('fills every known placeholder, with or without spaces inside the braces', () => {
    expect(
      renderPlaceholders(
        'Hello {{requester.firstName}}, ticket #{{ ticket.number }} of {{organization.name}}: we answer within {{sla.firstResponse}}.',
        values,
      ),
    ).toBe(
      'Hello Ana, ticket #1042 of Globex: we answer within 1 business day (business hours, US Eastern).',
    );
  });

  it('inserts a value once: a value that looks like a placeholder is not filled again', () => {
    expect(renderPlaceholders('{{ticket.subject}}', { ...values, 'ticket.subject': '{{agent.name}}' })).toBe(
      '{{agent.name}}',
    );
  });

  it('names unknown placeholders once each, and ignores text that is not between double braces', () => {
    expect(
      unknownPlaceholders('{{requester.email}} {x} {{ requester.email }} {{}} {{sla.resolution}}'),
    ).toEqual(['requester.email', '', 'sla.resolution']);
    expect(unknownPlaceholders('Hi {{requester.firstName}}, see {single} braces')).toEqual([]);
  });

  it('greets by the first word of a name', () => {
    expect(firstNameOf('  Ana María López ')).toBe('Ana');
    expect(firstNameOf('')).toBe('');
  });

  it('writes in the requester\u2019s language, falling back to the other one', () => {
    expect(textFor({ en: 'Hi', fr: 'Bonjour' }, 'fr')).toEqual({ language: 'fr', text: 'Bonjour' });
    expect(textFor({ en: 'Hi', fr: null }, 'fr')).toEqual({ language: 'en', text: 'Hi' });
    expect(textFor({ en: null, fr: null }, 'en')).toBeNull();
  });
});
