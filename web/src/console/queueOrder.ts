/**
 * The last queue the agent looked at, kept for this tab: j and k on a ticket walk it in the order
 * it was shown, and "back to the queue" returns to the same filters. sessionStorage keeps it across
 * a reload without leaking it into another tab's work.
 */
const KEY = 'accord.console.queue';

interface StoredQueue {
  search: string;
  ids: string[];
}

let memory: StoredQueue | null = null;

function load(): StoredQueue | null {
  if (memory) return memory;
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredQueue>;
    if (typeof parsed.search !== 'string' || !Array.isArray(parsed.ids)) return null;
    memory = { search: parsed.search, ids: parsed.ids.filter((id) => typeof id === 'string') };
    return memory;
  } catch {
    return null;
  }
}

export function rememberQueue(search: string, ids: string[]) {
  const previous = load();
  if (previous && previous.search === search && previous.ids.join() === ids.join()) return;
  memory = { search, ids };
  try {
    sessionStorage.setItem(KEY, JSON.stringify(memory));
  } catch {
    // A full or disabled storage only costs j/k after a reload.
  }
}

/** The ticket `step` places after (1) or before (-1) this one in the last queue, if any. */
export function neighbourInQueue(id: string, step: 1 | -1): string | undefined {
  const queue = load();
  if (!queue) return undefined;
  const index = queue.ids.indexOf(id);
  if (index === -1) return undefined;
  return queue.ids[index + step];
}

/** The queue's address with the filters it was last shown with. */
export function queueHref(): string {
  const search = load()?.search;
  return search ? `/console?${search}` : '/console';
}
