// The stories half of the page: the tray of people (from GET /api/feed/people), the viewer, and what has been seen.
import type { FeedClient, Person, Post } from "../feed-client.js";
import { byId } from "./dom.js";
import { loadSeenStore } from "./seen-store.js";
import { mountTray } from "./tray.js";
import { mountViewer } from "./viewer.js";

// The API's largest people page; a feed that lives an hour rarely has more people than a few pages of these.
const PEOPLE_PAGE = 50;
const MAX_PEOPLE_PAGES = 4;

export interface Stories {
  /** Reads the people again, e.g. because the feed changed. */
  refresh(): Promise<void>;
}

export function mountStories(client: FeedClient): Stories {
  const seen = loadSeenStore();
  const isSeen = (post: Post) => seen.has(post.id);
  const tray = mountTray(byId<HTMLUListElement>("tray"), {
    isSeen: (person) => isSeen(person.latest),
    onOpen: (userId) => viewer.open(userId),
  });
  const viewer = mountViewer({
    async postsOf(userId) {
      const posts: Post[] = [];
      for await (const page of client.pages({ author: userId, limit: PEOPLE_PAGE })) posts.push(...page.items);
      const now = Date.now();
      return posts.filter((post) => client.expiresAt(post) > now).reverse();
    },
    order: () => tray.order().map((person) => person.userId),
    isSeen,
    markSeen(post) {
      seen.add(post.id, client.expiresAt(post));
      tray.refresh();
    },
    expiresAt: (post) => client.expiresAt(post),
    entryOf: (userId) => tray.entry(userId),
  });

  let reading: Promise<void> | undefined;
  let again = false;

  async function readPeople(): Promise<void> {
    const people: Person[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < MAX_PEOPLE_PAGES; pages += 1) {
      const page = await client.people({ limit: PEOPLE_PAGE, cursor });
      people.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const now = Date.now();
    tray.show(people.filter((person) => client.expiresAt(person.latest) > now));
  }

  return {
    // One read at a time; a change during a read asks for one more after it.
    async refresh() {
      if (reading) {
        again = true;
        return reading;
      }
      reading = readPeople()
        .catch(() => {
          // The tray keeps the last people it had; the feed's status line already says what is wrong.
        })
        .finally(() => {
          reading = undefined;
          if (again) {
            again = false;
            void this.refresh();
          }
        });
      return reading;
    },
  };
}
