/** The placeholders a macro's text may hold, written `{{name}}`. */
export const PLACEHOLDERS = [
  'requester.firstName',
  'requester.name',
  'ticket.number',
  'ticket.subject',
  'organization.name',
  'sla.firstResponse',
  'agent.name',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

const KNOWN: ReadonlySet<string> = new Set(PLACEHOLDERS);
/** `{{ name }}`: anything between double braces is meant as a placeholder, known or not. */
const PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders of a text that the desk does not know, each once, in order. */
export function unknownPlaceholders(text: string): string[] {
  const unknown: string[] = [];
  for (const match of text.matchAll(PATTERN)) {
    const name = match[1]!;
    if (!KNOWN.has(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

/** The text with every placeholder replaced by its value; values are inserted as they are, once. */
export function renderPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PATTERN, (whole, name: string) =>
    KNOWN.has(name) ? values[name as Placeholder] : whole,
  );
}

/** What a greeting calls someone: the first word of their name ("Ana" of "Ana María López"). */
export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/u)[0] ?? '';
}

/** Which of the macro's texts a requester reads: their language, else the other one. */
export function textFor(
  texts: { en: string | null; fr: string | null },
  language: 'en' | 'fr',
): { language: 'en' | 'fr'; text: string } | null {
  const other = language === 'en' ? 'fr' : 'en';
  if (texts[language] !== null) return { language, text: texts[language] };
  if (texts[other] !== null) return { language: other, text: texts[other] };
  return null;
}
