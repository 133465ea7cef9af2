// The feed's three reads, each a page of one index: every post, one person's posts, and people (one entry each).

import { type FeedQuery, type PeopleQuery, type Person, POST_ID_PATTERN, type Post } from "../schemas.js";
import type { FeedStore, IndexEntry } from "../store/feed-store.js";
import { authorKey, authorOf, INDEX_KEY, PEOPLE_KEY, postKey } from "./keys.js";
import { answerPaged, type PageAnswer } from "./page-answer.js";
import { pageScope } from "./page-tag.js";
import { type Loaded, type PageDeps, type Paged, type PagedSource, readPaged } from "./paging.js";
import { readStoredPost } from "./stored-posts.js";

// A person's entry in people: `<author>:<their newest post id>`.
const PERSON_MEMBER = /^(u[0-9a-f]{16}):([A-Za-z0-9_-]{10,64})$/;
// Room in a page for a person's fields beside their newest post's JSON.
const PERSON_OVERHEAD_BYTES = 400;

/** GET /api/feed: the page, or null (a 304) when the caller's If-None-Match still names it. */
export function answerFeed(query: FeedQuery, ifNoneMatch: string | null, deps: PageDeps): Promise<PageAnswer<Post>> {
  const { author, ...page } = query;
  const scope = pageScope(author === undefined ? "feed" : "author", query, deps.ttlSeconds);
  return answerPaged(feedSource(author, deps), page, { ifNoneMatch, scope }, deps);
}

/** GET /api/feed/people: the page, or null (a 304) when the caller's If-None-Match still names it. */
export function answerPeople(
  query: PeopleQuery,
  ifNoneMatch: string | null,
  deps: PageDeps,
): Promise<PageAnswer<Person>> {
  const scope = pageScope("people", query, deps.ttlSeconds);
  return answerPaged(peopleSource(deps), query, { ifNoneMatch, scope }, deps);
}

/** Newest first: every live post, or with `author` only that person's. */
export function readPage(query: FeedQuery, deps: PageDeps): Promise<Paged<Post>> {
  const { author, ...page } = query;
  return readPaged(feedSource(author, deps), page, deps);
}

/** People with live posts, by their newest post, newest first; each with how many live posts they have. */
export function readPeople(query: PeopleQuery, deps: PageDeps): Promise<Paged<Person>> {
  return readPaged(peopleSource(deps), query, deps);
}

function feedSource(author: string | undefined, deps: PageDeps): PagedSource<Post> {
  return {
    indexKey: author === undefined ? INDEX_KEY : authorKey(authorOf(author)),
    sideIndex: author === undefined,
    member: POST_ID_PATTERN,
    // An index is a hint: a post is shown only as what it is, and an author's page holds only that author's posts.
    async load(entries) {
      const posts = await loadPosts(
        entries.map((entry) => entry.id),
        deps.store,
      );
      return posts.map((loaded) => (loaded && (author === undefined || loaded.item.userId === author) ? loaded : null));
    },
  };
}

function peopleSource(deps: PageDeps): PagedSource<Person> {
  return {
    indexKey: PEOPLE_KEY,
    sideIndex: false,
    member: PERSON_MEMBER,
    async load(entries: IndexEntry[], minScore: number) {
      const members = entries.map((entry) => PERSON_MEMBER.exec(entry.id));
      const authors = members.map((member) => member?.[1] ?? "");
      // The posts and the counts in one parallel step (on a cluster, the posts' masters and the `{feed}` master).
      const [posts, summaries] = await Promise.all([
        loadPosts(
          members.map((member) => member?.[2] ?? ""),
          deps.store,
        ),
        deps.store.summarizeIndexes(authors.map(authorKey), minScore),
      ]);
      return posts.map((loaded, i): Loaded<Person> | null => {
        const latest = loaded?.item;
        if (!loaded || !latest || authorOf(latest.userId) !== authors[i]) return null;
        const { count, oldestScore } = summaries[i];
        const person = { userId: latest.userId, username: latest.username, postCount: count, latest };
        // Their count drops when their oldest post expires, which comes before their newest one's.
        const changesAt = oldestScore === null ? undefined : oldestScore + deps.ttlSeconds * 1000;
        return { item: person, bytes: loaded.bytes + PERSON_OVERHEAD_BYTES, changesAt };
      });
    },
  };
}

/**
 * The posts stored under these ids, sized by their stored JSON (not a re-encoding); null where missing, foreign (a
 * value that is not the post with that id), or where the id cannot be a post's (nothing is read for it).
 */
async function loadPosts(ids: string[], store: FeedStore): Promise<(Loaded<Post> | null)[]> {
  const readable = ids.filter((id) => POST_ID_PATTERN.test(id));
  const values = await store.getValues(readable.map(postKey));
  let next = 0;
  return ids.map((id) => {
    // `readable` keeps the ids' order: the next value is this id's when the id was readable.
    const stored = id === readable[next] ? readStoredPost(id, values[next++]) : null;
    return stored && { item: stored.post, bytes: stored.bytes };
  });
}
