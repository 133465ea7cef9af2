// One region's CDN cache in front of the origin, as Vercel documents it: a page is served fresh for its max-age, then
// stale for its stale-while-revalidate window while one revalidation (conditional when it has an ETag) goes to the
// origin; past both, the request waits for the origin. A response marked private or no-store is not kept.
// https://vercel.com/docs/caching/cache-control-headers

export interface Lifetime {
  maxAgeMs: number;
  staleMs: number;
}

/** What the origin answered, as far as the CDN cares. */
export interface OriginAnswer {
  status: number;
  etag: string | null;
  /** null: not to be kept. */
  lifetime: Lifetime | null;
  /** The page's post ids (200 only). */
  ids: string[];
  /** When the page is the feed's first page, if not at the request's own moment (a page read as of just after it). */
  asOf?: number;
}

export type Origin = (at: number, ifNoneMatch: string | null) => Promise<OriginAnswer>;

/** The page a viewer got: its ids and the moment the origin read them as of. */
export interface Served {
  ids: string[];
  readAt: number;
}

interface Entry extends Served {
  etag: string | null;
  storedAt: number;
  lifetime: Lifetime;
}

/**
 * The CDN lifetime Vercel reads: Vercel-CDN-Cache-Control, then CDN-Cache-Control (max-age), then Cache-Control
 * (s-maxage); each with stale-while-revalidate. null when the response may not be kept.
 */
export function cdnLifetime(headers: Headers): Lifetime | null {
  const cdn = headers.get("vercel-cdn-cache-control") ?? headers.get("cdn-cache-control");
  const value = cdn ?? headers.get("cache-control") ?? "";
  if (/\b(private|no-store)\b/.test(value)) return null;
  const seconds = (name: string) => Number(new RegExp(`\\b${name}=(\\d+)`).exec(value)?.[1] ?? 0);
  const maxAge = seconds(cdn ? "max-age" : "s-maxage");
  return maxAge > 0 ? { maxAgeMs: maxAge * 1000, staleMs: seconds("stale-while-revalidate") * 1000 } : null;
}

export class CdnRegion {
  private entry: Entry | undefined;
  originRequests = 0;

  /** `conditional`: revalidations send the stored ETag (a CDN does; the old body-hash tags saved nothing by it). */
  constructor(
    private readonly origin: Origin,
    private readonly conditional: boolean,
  ) {}

  /** A viewer's request at `at`; the origin's answer counts as arriving at once (loopback, against seconds here). */
  async request(at: number): Promise<Served> {
    const entry = this.entry;
    if (entry && at - entry.storedAt < entry.lifetime.maxAgeMs) return entry;
    if (entry && at - entry.storedAt < entry.lifetime.maxAgeMs + entry.lifetime.staleMs) {
      await this.fetch(at, entry);
      return entry;
    }
    return this.fetch(at, entry);
  }

  private async fetch(at: number, previous: Entry | undefined): Promise<Served> {
    this.originRequests += 1;
    const answer = await this.origin(at, this.conditional ? (previous?.etag ?? null) : null);
    const page: Served = answer.status === 304 && previous ? previous : { ids: answer.ids, readAt: answer.asOf ?? at };
    if (answer.status !== 200 && answer.status !== 304) throw new Error(`origin answered ${answer.status}`);
    this.entry = answer.lifetime ? { ...page, etag: answer.etag, storedAt: at, lifetime: answer.lifetime } : undefined;
    return page;
  }
}

/** How one region's CDN keeps pages, and what a page read costs, under one cache policy. */
export interface TrafficPolicy {
  name: string;
  /** Revalidations carry the stored ETag. */
  conditional: boolean;
  lifetime: (headers: Headers) => Lifetime | null;
  /** Whether a command sent for a page read belongs to this policy's read (the old read had no version GET). */
  counts: (command: string) => boolean;
}

export const POLICIES: TrafficPolicy[] = [
  { name: "now: page tags, CDN lifetimes from expiry", conditional: true, lifetime: cdnLifetime, counts: () => true },
  {
    name: "before: flat s-maxage=2, stale-while-revalidate=8, body-hash ETags",
    conditional: false,
    lifetime: () => ({ maxAgeMs: 2000, staleMs: 8000 }),
    // Today's full read is the old one (ZRANGE + ZSCORE, then MGET) plus the GET of the version.
    counts: (command) => command !== "get",
  },
];
