// Answering a request for a page: a 304 when the caller's tag still names it (one Redis command), else the page, read
// so that a CDN can keep it.
import { type PageBody, type PageDeps, type PagedSource, readPaged } from "./feed-page.js";
import { type PageTag, stillCurrent } from "./page-tag.js";

/** A page to send, or null when the caller's copy (its tag) is still the page. */
export interface PageAnswer<T> {
  tag: PageTag;
  page: PageBody<T> | null;
}

/**
 * The page, unless the caller's If-None-Match names it still: then one Redis command (the version) answers, with no
 * index read and no post read.
 */
export async function answerPaged<T>(
  source: PagedSource<T>,
  query: { limit: number; cursor?: string },
  request: { ifNoneMatch: string | null; scope: string },
  deps: PageDeps,
): Promise<PageAnswer<T>> {
  const { current, version: versionRead } = await stillCurrent(request.ifNoneMatch, request.scope, deps);
  if (current && !changesWithinCacheUnit(current.changesAt, deps)) return { tag: current, page: null };
  // The version just read came before anything the page will read, so it can vouch for the page (one command less).
  let paged = await readPaged(source, query, deps, versionRead);
  // A CDN keeps a page for whole seconds and must never keep it past its next expiry, so a page that changes within
  // the second cannot be cached at all: every viewer's request would reach Redis until it changed (~1,000 full reads a
  // day per region). Read it as it will be after that expiry instead: its posts leave it up to a second early.
  if (paged.complete && changesWithinCacheUnit(paged.changesAt, deps)) {
    const after = (paged.changesAt ?? 0) + 1;
    paged = await readPaged(source, query, { ...deps, now: () => after });
  }
  const { page, complete, version, changesAt } = paged;
  return { tag: { version, changesAt, complete, scope: request.scope }, page };
}

/** Whether a page changes by itself sooner than the shortest time a CDN can keep it (one second). */
function changesWithinCacheUnit(changesAt: number | null, deps: PageDeps): boolean {
  return changesAt !== null && changesAt - deps.now() < 1000;
}
