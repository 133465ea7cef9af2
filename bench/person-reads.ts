// The reads by person, in a seeded cell: GET /api/feed/people and GET /api/feed?author=, measured like the pages.
import type { Cluster, Redis } from "ioredis";
import * as feed from "../api/feed/index.js";
import * as people from "../api/feed/people.js";
import type { BenchApp } from "./bench-app.js";
import { type Measurement, measure } from "./measure.js";
import type { Profile } from "./options.js";
import { PROLIFIC_AUTHOR } from "./seed.js";

export type PersonPage = "people, first 20" | "author, first 20";
export const PERSON_PAGES: PersonPage[] = ["people, first 20", "author, first 20"];

export interface PersonRead {
  page: PersonPage;
  project: Measurement;
  /** Items on one page, checked: distinct people, or only the author's posts. */
  items: number;
  /** The commands of one request, one list per sequential round trip, as the counting client saw them. */
  steps: string[][];
}

// The brief's page size for both reads: a tray's first screen, and a profile's.
const LIMIT = 20;

const requests: Record<PersonPage, { url: string; handler: (request: Request) => Promise<Response> }> = {
  "people, first 20": { url: `http://localhost/api/feed/people?limit=${LIMIT}`, handler: people.GET },
  "author, first 20": {
    url: `http://localhost/api/feed?${new URLSearchParams({ limit: String(LIMIT), author: PROLIFIC_AUTHOR })}`,
    handler: feed.GET,
  },
};

/** Both reads through their exported handlers, one request at a time (the app last composed serves them). */
export async function measurePersonReads(bench: BenchApp<Redis | Cluster>, profile: Profile): Promise<PersonRead[]> {
  const reads: PersonRead[] = [];
  for (const page of PERSON_PAGES) {
    const { url, handler } = requests[page];
    const project = await measure(() => handler(new Request(url)), bench.counter, {
      ...profile.personReads,
      expectStatus: 200,
    });
    bench.counter.reset();
    const body = (await (await handler(new Request(url))).json()) as { items: { userId: string }[] };
    reads.push({ page, project, items: checkedItems(page, body.items), steps: bench.counter.steps() });
  }
  return reads;
}

/** How many items the page holds, once it is known to hold what the read promises (and something). */
function checkedItems(page: PersonPage, items: { userId: string }[]): number {
  const users = items.map((item) => item.userId);
  const right =
    page === "author, first 20"
      ? users.every((user) => user === PROLIFIC_AUTHOR)
      : new Set(users).size === users.length;
  if (!right || users.length === 0) throw new Error(`${page}: the page lists [${users.join(", ")}]`);
  return items.length;
}

/** "zrange, zscore | mget": one group per round trip, repeated names counted ("get ×25"). */
export function describeSteps(steps: string[][]): string {
  return steps
    .map((step) => {
      const counts = new Map<string, number>();
      for (const name of step) counts.set(name, (counts.get(name) ?? 0) + 1);
      return [...counts].map(([name, n]) => (n === 1 ? name : `${name} ×${n}`)).join(", ");
    })
    .join(" → ");
}
