import type { Principal } from '../auth/principal.js';
import type { Services } from '../services.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const ORIGINAL = {
  subject: 'Barcode scanner does not read our asset labels',
  body: 'Since this morning the barcode scanner in the mobile app does not read the asset labels on our freezers. The camera opens, focuses, and nothing happens.',
};
/** The same problem, written again after it was resolved (the fix is a label setting in the help center). */
const REPEATS = [
  [
    'Barcode scanner does not read asset labels again',
    'The barcode scanner in the mobile app does not read the asset labels on our freezers again. The camera opens and nothing happens.',
  ],
  [
    'Scanner not reading asset labels',
    'Again the mobile app barcode scanner does not read our freezer asset labels. The camera focuses and nothing happens.',
  ],
  [
    'Asset labels cannot be scanned',
    'Our asset labels on the freezers cannot be read by the barcode scanner of the mobile app. The camera opens, nothing happens.',
  ],
  [
    'Barcode scanner broken for asset labels',
    'The barcode scanner does not read asset labels on the freezers, same as before. Camera opens, focuses, nothing happens.',
  ],
  [
    'Still cannot scan freezer asset labels',
    'The mobile app barcode scanner still does not read the asset labels of our freezers. The camera opens and nothing happens.',
  ],
] as const;
const OFF_TOPIC = [
  [
    'Supplier for forklift tyres?',
    'Can you recommend a good supplier for forklift tyres near Lyon? We need four by Friday.',
  ],
  ['Our canteen menu', 'Could you help us write the weekly canteen menu for the warehouse staff?'],
] as const;

/**
 * Fair use on the demo desk (policy section 5): Contoso Foods keeps filing a problem that was
 * resolved weeks ago, and sends requests that have nothing to do with support, so the fair-use page
 * shows a lead the flags and their evidence.
 */
export async function seedDemoFairUse(
  services: Services,
  people: { contact: Principal; member: Principal; agent: Principal; lead: Principal },
  setClock: (at: number) => void,
  now: number,
) {
  const file = (who: Principal, subject: string, body: string) =>
    services.tickets.create(who, {
      subject,
      body,
      bodyFormat: 'text',
      priority: 'P3',
      requestType: 'problem',
    });
  let at = now - 24 * DAY;
  setClock(at);
  const original = await file(people.contact, ORIGINAL.subject, ORIGINAL.body);
  setClock((at += 2 * HOUR));
  await services.conversation.addMessage(people.agent, original.id, {
    body: 'The labels are printed as Code 93, which the scanner reads once it is enabled: Settings > Scanning > Symbologies > Code 93. Could you try?',
    bodyFormat: 'text',
    public: true,
  });
  setClock((at += 3 * HOUR));
  await services.tickets.update(people.agent, original.id, { status: 'resolved' });
  for (const [subject, body] of REPEATS) {
    setClock((at += 3 * DAY));
    await file(people.member, subject, body);
  }
  for (const [subject, body] of OFF_TOPIC) {
    setClock((at += DAY));
    const ticket = await file(people.member, subject, body);
    await services.fairUseFlags.markOffTopic(people.lead, ticket.id, 'Not about the MaintainX platform.');
  }
  setClock(now);
}
