import type { ReproDetails } from './similarity.js';
import type { TermVector } from './vector.js';

/** A resolved ticket as the repeat comparison reads it: its words and reproduction details. */
export interface ComparedTicket {
  number: number;
  subject: string;
  vector: TermVector;
  text: ReproDetails;
}

/**
 * The words of recently resolved tickets, kept between filings: each new ticket of an organization is
 * compared with the same few hundred resolved ones, and stemming them anew each time made filing
 * slower as the desk's history grew. Keyed by ticket, its last change and the locale, so a ticket
 * edited since (or read in another language) is read anew; the least recently used go first.
 */
export class ComparedTicketsCache {
  private readonly entries = new Map<string, ComparedTicket>();

  /** About a kilobyte each (a few hundred terms at most): 20,000 take some 20 MB. */
  constructor(private readonly capacity = 20_000) {}

  static key(ticketId: string, updatedAt: number, locale: string): string {
    return `${ticketId}:${updatedAt}:${locale}`;
  }

  get(key: string): ComparedTicket | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: ComparedTicket): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
  }
}
