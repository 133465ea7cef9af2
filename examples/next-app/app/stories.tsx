"use client";
// A stories tray (people()), one person's posts when their entry is chosen (postsBy()), and the live feed below
// (watch()), all through the feed's browser SDK; media through its delivery helpers.
import {
  createFeedClient,
  type FeedClient,
  formatTimeLeft,
  imageSources,
  type Person,
  type Post,
} from "ephemeral-feed/client";
import { useEffect, useState } from "react";

export function Stories() {
  const [feed, setFeed] = useState<FeedClient | null>(null);
  const [people, setPeople] = useState<Person[] | null>(null);
  const [posts, setPosts] = useState<Post[]>([]);
  const [chosen, setChosen] = useState<{ person: Person; posts: Post[] } | null>(null);

  // In the browser only: the client reads the page's origin, visibility and connectivity.
  useEffect(() => {
    const client = createFeedClient({ baseUrl: window.location.origin, getToken: () => null });
    setFeed(client);
    const watch = client.watch(
      (live) => {
        setPosts(live);
        // The tray follows the feed: a new post may be a new person.
        client.people({ limit: 20 }).then(
          (page) => setPeople(page.items),
          () => {},
        );
      },
      { intervalMs: 3000 },
    );
    return () => watch.stop();
  }, []);

  async function open(person: Person) {
    if (!feed) return;
    const page = await feed.postsBy(person.userId, { limit: 50 });
    setChosen({ person, posts: page.items });
  }

  return (
    <>
      <nav aria-label="Stories" data-testid="tray" style={{ display: "flex", gap: 8, overflowX: "auto" }}>
        {people === null ? <p>Loading…</p> : null}
        {people?.length === 0 ? <p>No stories yet.</p> : null}
        {people?.map((person) => (
          <button key={person.userId} type="button" onClick={() => open(person)}>
            {person.username} ({person.postCount})
          </button>
        ))}
      </nav>
      {chosen ? (
        <section aria-label={`Posts by ${chosen.person.username}`} data-testid="viewer">
          <h2>{chosen.person.username}</h2>
          {chosen.posts.map((post) => (
            <PostCard key={post.id} post={post} expiresAt={feed?.expiresAt(post) ?? 0} />
          ))}
          <button type="button" onClick={() => setChosen(null)}>
            Close
          </button>
        </section>
      ) : null}
      <section aria-label="Feed" data-testid="feed">
        {posts.map((post) => (
          <PostCard key={post.id} post={post} expiresAt={feed?.expiresAt(post) ?? 0} />
        ))}
      </section>
    </>
  );
}

function PostCard({ post, expiresAt }: { post: Post; expiresAt: number }) {
  const image = post.mediaType === "image" ? imageSources(post) : null;
  return (
    <article data-post-id={post.id}>
      <p>
        <strong>{post.username}</strong> · {formatTimeLeft(expiresAt - Date.now())}
      </p>
      {image ? (
        // biome-ignore lint/performance/noImgElement: Cloudinary sizes it (imageSources); next/image would resize it again
        <img src={image.src} srcSet={image.srcset} sizes={image.sizes} alt={post.text} loading="lazy" width={320} />
      ) : (
        <video src={post.mediaUrl} controls muted playsInline width={320} />
      )}
      <p>{post.text}</p>
    </article>
  );
}
