// Answering a request for a page: a 304 when the caller's tag still names it (one Redis command), else the page, read
// so that a CDN can keep it.

import { type PageTag, stillCurrent } from "./page-tag.js";
import { type PageBody, type PageDeps, type PagedSource, readPaged } from "./paging.js";

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
  // Most page reads carry no tag (a first visit, a CDN's miss): they need not wait for stillCurrent's promise.
  const { current, version: versionRead } =
    request.ifNoneMatch === null ? {} : await stillCurrent(request.ifNoneMatch, request.scope, deps);
  if (current && !changesWithinCacheUnit(current.changesAt, deps)) return { tag: current, page: null };
  // A CDN keeps a page for whole seconds and must never keep it past its next expiry, so a page that changes within
  // the second cannot be cached at all: every viewer's request would reach Redis until it changed (~1,000 full reads a
  // day per region). Such a page is read as it will be after that expiry instead: a post leaves it up to a second
  // early, never late. The caller's tag may say so already; otherwise the page read does.
  const soon = current?.changesAt;
  // The version just read came before anything the page will read, so it can vouch for the page (one command less).
  let paged = await readPaged(source, query, soon ? asOf(soon + 1, deps) : deps, versionRead);
  if (paged.complete && changesWithinCacheUnit(paged.changesAt, deps)) {
    paged = await readPaged(source, query, asOf((paged.changesAt ?? 0) + 1, deps), versionRead);
  }
  const { page, complete, version, changesAt } = paged;
  return { tag: { version, changesAt, complete, scope: request.scope }, page };
}

const asOf = (at: number, deps: PageDeps): PageDeps => ({ ...deps, now: () => at });

/** Whether a page changes by itself sooner than the shortest time a CDN can keep it (one second). */
function changesWithinCacheUnit(changesAt: number | null, deps: PageDeps): boolean {
  return changesAt !== null && changesAt - deps.now() < 1000;
}
