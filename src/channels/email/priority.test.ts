import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priorityFromMail } from './priority.js';

describe('priorityFromMail: subject tags', () => {
  it.each([
    ['[P1] Sync down', 'P1', 'Sync down'],
    ['P0: outage on all sites', 'P0', 'outage on all sites'],
    ['p2 - typo in the report', 'P2', 'typo in the report'],
    ['Outage (P0)', 'P0', 'Outage'],
    ['Sync down P1', 'P1', 'Sync down'],
    ['Sync P1 down', 'P1', 'Sync down'],
    ['Re: [P1] Sync down', 'P1', 'Re: Sync down'],
    ['RE: P0: outage', 'P0', 'RE: outage'],
    ['[Critical] Platform unreachable', 'P0', 'Platform unreachable'],
    ['Critical: platform unreachable', 'P0', 'platform unreachable'],
    ['Critique : plateforme inaccessible', 'P0', 'plateforme inaccessible'],
    ['Critique\u00a0: plateforme inaccessible', 'P0', 'plateforme inaccessible'],
    ['[Majeur] Synchronisation en panne', 'P1', 'Synchronisation en panne'],
    ['Major: sync broken', 'P1', 'sync broken'],
    ['[Minor] Report layout', 'P2', 'Report layout'],
    ['Mineur : export lent', 'P2', 'export lent'],
    ['[Cosmetic] Misaligned button', 'P3', 'Misaligned button'],
    ['[Cosmétique] Bouton décalé', 'P3', 'Bouton décalé'],
    ['[Esthétique] Bouton décalé', 'P3', 'Bouton décalé'],
    ['[CRITICAL] shouting', 'P0', 'shouting'],
    ['[Priority: P1] Sync down', 'P1', 'Sync down'],
    ['[Accord #1042] [P1] Sync down', 'P1', '[Accord #1042] Sync down'],
    ['[P1]', 'P1', ''],
  ])('%s → %s, subject "%s"', (subject, priority, rest) => {
    expect(priorityFromMail(subject, '')).toEqual({ priority, subject: rest });
  });

  it.each([
    'Critical bug in sync',
    'A minor question',
    'Upgrade to MP3 export',
    'Error P10 on the scanner',
    'P1a firmware',
    'SP1 installed',
    'P4: low',
    '[Urgent] help',
    'Informational: newsletter',
    '',
  ])('finds no priority in "%s" and leaves it alone', (subject) => {
    expect(priorityFromMail(subject, 'Hello')).toEqual({ priority: null, subject });
  });

  it('prefers a bracketed tag to a leading one', () => {
    expect(priorityFromMail('Minor: sync [P0]', '')).toEqual({ priority: 'P0', subject: 'Minor: sync' });
  });
});

describe('priorityFromMail: body line', () => {
  it.each([
    ['Priority: P1\n\nSync is down.', 'P1'],
    ['Hello,\nPriorité : P0\nTout est en panne.', 'P0'],
    ['Priority: Critical', 'P0'],
    ['Priorité\u00a0: Majeur', 'P1'],
    ['**Priority:** P2 (Minor)', 'P2'],
    ['\n\n  priority : cosmetic\n', 'P3'],
  ])('reads %j', (text, priority) => {
    expect(priorityFromMail('Sync is down', text)).toEqual({ priority, subject: 'Sync is down' });
  });

  it('reads only the first lines of the body', () => {
    const text = `${'line\n'.repeat(10)}Priority: P0`;
    expect(priorityFromMail('Question', text).priority).toBeNull();
  });

  it('ignores a Priority line with a value that is not a priority', () => {
    expect(priorityFromMail('Question', 'Priority: whenever you can').priority).toBeNull();
  });

  it('prefers a subject tag to the body line, and the body line to a bare P-word in the subject', () => {
    expect(priorityFromMail('[P2] Export', 'Priority: P0')).toEqual({ priority: 'P2', subject: 'Export' });
    expect(priorityFromMail('What does P3 mean?', 'Priority: P1')).toEqual({
      priority: 'P1',
      subject: 'What does P3 mean?',
    });
  });
});

describe('priorityFromMail: properties', () => {
  it('never matches a P-code glued to letters or digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{1,4}$/),
        fc.constantFrom('P0', 'P1', 'P2', 'P3'),
        fc.stringMatching(/^[A-Za-z0-9]{1,4}$/),
        (before, code, after) => {
          expect(priorityFromMail(`Error ${before}${code}${after} seen`, '').priority).toBeNull();
        },
      ),
    );
  });

  it('returns the subject unchanged when it finds nothing, and never lengthens it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ maxLength: 200 }), (subject, text) => {
        const result = priorityFromMail(subject, text);
        if (result.priority === null) expect(result.subject).toBe(subject);
        expect(result.subject.length).toBeLessThanOrEqual(subject.length);
      }),
    );
  });
});
