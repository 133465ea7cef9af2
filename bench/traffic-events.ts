// The traffic model's writes and what the feed's first page truly is at any moment: posts arriving at random (a
// Poisson process), some deleted by their authors, every one expiring after the post lifetime.

/** A seeded generator (mulberry32), so both cache policies meet exactly the same day. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WritePlan {
  /** When each post is published, ascending (ms from the start of the simulation). */
  postAt: number[];
  /** When a post's author deletes it, by the post's index; absent for posts that live out their lifetime. */
  deleteAt: Map<number, number>;
}

/** Posts at `meanGapMs` on average (exponential gaps); each deleted with `deleteShare` at a uniform point of its life. */
export function planWrites(
  random: () => number,
  spanMs: number,
  options: { meanGapMs: number; deleteShare: number; ttlMs: number },
): WritePlan {
  const postAt: number[] = [];
  const deleteAt = new Map<number, number>();
  for (
    let at = -Math.log(1 - random()) * options.meanGapMs;
    at < spanMs;
    at += -Math.log(1 - random()) * options.meanGapMs
  ) {
    if (random() < options.deleteShare) deleteAt.set(postAt.length, Math.round(at + random() * options.ttlMs));
    postAt.push(Math.round(at));
  }
  return { postAt, deleteAt };
}

export type ChangeKind = "post" | "delete" | "expiry";

interface ModelPost {
  id: string;
  createdAt: number;
  deletedAt?: number;
}

/**
 * The posts as the model knows them (filled in as the real handler publishes and deletes them), and the first page
 * they make at any time: the newest `limit` live posts, live meaning created within the lifetime (inclusive, as the
 * index read's score range) and not deleted.
 */
export class FeedTruth {
  private readonly posts: ModelPost[] = [];
  private changes: { at: number; kind: ChangeKind }[] | undefined;

  constructor(
    private readonly limit: number,
    private readonly ttlMs: number,
  ) {}

  published(id: string, createdAt: number): void {
    this.posts.push({ id, createdAt });
    this.changes = undefined;
  }

  deleted(id: string, at: number): void {
    const post = this.posts.find((p) => p.id === id);
    if (post) post.deletedAt = at;
    this.changes = undefined;
  }

  pageAt(at: number): string[] {
    const live = this.posts.filter(
      (p) => p.createdAt <= at && p.createdAt >= at - this.ttlMs && (p.deletedAt === undefined || p.deletedAt > at),
    );
    return live
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .slice(0, this.limit)
      .map((p) => p.id);
  }

  /** How many writes and expiries from `from` to `to` changed the page, by kind. */
  pageChanges(from: number, to: number): Record<ChangeKind, number> {
    const counts = { post: 0, delete: 0, expiry: 0 };
    for (const change of this.allChanges()) {
      if (change.at < from || change.at > to) continue;
      if (this.pageAt(change.at - 1).join(",") !== this.pageAt(change.at).join(",")) counts[change.kind] += 1;
    }
    return counts;
  }

  /** The first moment from `at` to `at + withinMs` at which the page is `ids`; undefined if none. */
  momentOf(ids: string[], at: number, withinMs: number): number | undefined {
    const page = ids.join(",");
    for (let moment: number | undefined = at; moment !== undefined && moment <= at + withinMs; ) {
      if (this.pageAt(moment).join(",") === page) return moment;
      moment = this.changeAfter(moment)?.at;
    }
    return undefined;
  }

  /** The first write or expiry after `at` that changes the page as it was at `at`, if any. */
  changeAfter(at: number): { at: number; kind: ChangeKind } | undefined {
    const page = this.pageAt(at).join(",");
    const changes = this.allChanges();
    let low = 0;
    for (let high = changes.length; low < high; ) {
      const middle = (low + high) >>> 1;
      if (changes[middle].at <= at) low = middle + 1;
      else high = middle;
    }
    return changes.slice(low).find((change) => this.pageAt(change.at).join(",") !== page);
  }

  private allChanges(): { at: number; kind: ChangeKind }[] {
    this.changes ??= this.posts
      .flatMap((p) => [
        { at: p.createdAt, kind: "post" as const },
        // A post leaves the page the first millisecond past its lifetime.
        { at: p.createdAt + this.ttlMs + 1, kind: "expiry" as const },
        ...(p.deletedAt === undefined ? [] : [{ at: p.deletedAt, kind: "delete" as const }]),
      ])
      .sort((a, b) => a.at - b.at);
    return this.changes;
  }
}
