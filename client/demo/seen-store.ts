// Which posts this device has seen in the viewer, kept in localStorage until the posts expire: the tray's rings and
// order survive a reload, and the list never outgrows the live feed.

const STORAGE_KEY = "feed-demo-seen";

export interface SeenStore {
  has(postId: string): boolean;
  /** Marks the post seen until `expiresAt` (epoch ms), when it leaves every feed anyway. */
  add(postId: string, expiresAt: number): void;
}

/** localStorage, not sessionStorage: seen is about the device's person, across tabs and reloads. */
export function loadSeenStore(storage: Storage | undefined = globalThis.localStorage, now = Date.now): SeenStore {
  const seen = new Map<string, number>();
  try {
    const stored = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "{}") as Record<string, unknown>;
    for (const [id, expiresAt] of Object.entries(stored)) if (typeof expiresAt === "number") seen.set(id, expiresAt);
  } catch {
    // Unreadable or blocked storage: everything counts as unseen, which is the safe way to be wrong.
  }

  function save(): void {
    const time = now();
    for (const [id, expiresAt] of seen) if (expiresAt <= time) seen.delete(id);
    try {
      storage?.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(seen)));
    } catch {
      // Full or blocked: the rings are still right until the page is reloaded.
    }
  }

  save();
  return {
    has: (postId) => seen.has(postId),
    add(postId, expiresAt) {
      if (seen.get(postId) === expiresAt) return;
      seen.set(postId, expiresAt);
      save();
    },
  };
}
