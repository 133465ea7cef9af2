// One post as a card: author, countdown, media in a frame of its own shape, and a clamped, isolated caption.
import type { Post } from "../feed-client.js";
import { button, element } from "./dom.js";
import { t, text } from "./i18n/index.js";
import { createMediaFrame } from "./media-frame.js";

// The frame spans the feed column: the screen less its padding on phones, 576 px beside the composer (see .layout
// in styles/base.css), so the browser picks the width actually drawn.
const FEED_SIZES = "(min-width: 900px) 576px, calc(100vw - 2rem)";

export interface PostCard {
  item: HTMLLIElement;
  timeLeft: HTMLTimeElement;
}

export function createPostCard(post: Post, expiresAt: number): PostCard {
  const item = element("li", "post");
  item.dataset.postId = post.id;
  const head = element("div", "post-head");
  const avatar = element("span", "avatar", [...post.username][0]?.toUpperCase() ?? "?");
  avatar.setAttribute("aria-hidden", "true");
  avatar.style.setProperty("--hue", String(hueOf(post.userId)));
  const author = element("bdi", "post-author", post.username);
  const timeLeft = element("time", "post-time");
  const expiry = new Date(expiresAt);
  timeLeft.dateTime = expiry.toISOString();
  timeLeft.title = t("post.disappearsAt", { time: text.clock(expiry) });
  head.append(avatar, author, timeLeft);
  item.append(head, createMediaFrame(post, "post-media", { sizes: FEED_SIZES }).frame);
  if (post.text) item.append(createCaption(post));
  return { item, timeLeft };
}

/**
 * Text only (textContent), in its own bidi context (dir="auto" isolates it), so an override character in one caption
 * cannot reorder the rest of the card; long captions are clamped to a few lines with a real toggle.
 */
function createCaption(post: Post): HTMLElement {
  const wrap = element("div", "post-caption-wrap");
  const caption = element("p", "post-caption clamped", post.text);
  caption.dir = "auto";
  caption.id = `caption-${post.id}`;
  const toggle = button(t("post.showMore"), "caption-toggle");
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", caption.id);
  toggle.hidden = true;
  toggle.addEventListener("click", () => {
    const expand = toggle.getAttribute("aria-expanded") !== "true";
    caption.classList.toggle("clamped", !expand);
    toggle.setAttribute("aria-expanded", String(expand));
    toggle.textContent = t(expand ? "post.showLess" : "post.showMore");
  });
  // Whether the clamp cuts anything depends on the card's width, so it is measured, and again when the width changes.
  new ResizeObserver(() => {
    if (caption.classList.contains("clamped")) toggle.hidden = caption.scrollHeight <= caption.clientHeight + 1;
  }).observe(caption);
  wrap.append(caption, toggle);
  return wrap;
}

/** A stable colour per person, so a glance tells posts apart. */
export function hueOf(userId: string): number {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hash;
}
