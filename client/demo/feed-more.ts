// Reaching every live post: older pages load as the end of the list comes near (IntersectionObserver), and a visible
// "Load more posts" button does the same for keyboards, screen readers and browsers that do not scroll there.
import { byId, focusElement, setText } from "./dom.js";
import { t } from "./i18n/index.js";
import { problemMessage } from "./wording.js";

// Start loading a screen or so before the end is reached, so scrolling rarely has to wait.
const AHEAD = "800px";

export interface FeedMore {
  /** The watch says whether older posts remain. */
  update(hasMore: boolean): void;
}

export function mountFeedMore(loadMore: () => Promise<boolean>): FeedMore {
  const sentinel = byId("feed-sentinel");
  const button = byId<HTMLButtonElement>("load-more");
  const status = byId("feed-more-status");
  let hasMore = false;
  let loading = false;
  let loadedOlder = false;

  async function load(): Promise<void> {
    if (loading || !hasMore) return;
    loading = true;
    setText(status, t("feed.loadingMore"));
    try {
      hasMore = await loadMore();
      loadedOlder = true;
      setText(status, hasMore ? "" : t("feed.allLoaded"));
    } catch (problem) {
      setText(status, t("feed.loadMoreFailed", { reason: problemMessage(problem) }));
    } finally {
      loading = false;
      // A button that disappears under the keyboard would drop focus to <body>: it moves to what replaced it.
      if (!hasMore && document.activeElement === button) focusElement(status);
      button.hidden = !hasMore;
    }
    // Still in view (a short page, a tall screen): observing again reports it at once, and the next page loads.
    observer?.unobserve(sentinel);
    observer?.observe(sentinel);
  }

  const observer =
    typeof IntersectionObserver === "function"
      ? new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && void load(), {
          rootMargin: `0px 0px ${AHEAD} 0px`,
        })
      : undefined;
  observer?.observe(sentinel);
  button.addEventListener("click", () => void load());

  return {
    update(next) {
      const gained = next && !hasMore;
      hasMore = next;
      button.hidden = !hasMore;
      if (!hasMore && !loadedOlder) setText(status, "");
      if (gained) {
        observer?.unobserve(sentinel);
        observer?.observe(sentinel);
      }
    },
  };
}
