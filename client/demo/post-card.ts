// One post as a card: author, countdown, media through the optimized delivery URLs, and a clamped, isolated caption.
import type { Post } from "../../lib/schemas.js";
import { imageSources, videoSources } from "../feed-client.js";
import { button, element, safeMediaUrl } from "./dom.js";

// The feed column: the screen less its padding on phones, 576 px beside the composer (see .layout in styles.css).
const FEED_SIZES = "(min-width: 900px) 576px, calc(100vw - 2rem)";
// The media box is 4:3 (feed.css); these give the browser the same ratio before any CSS or byte has arrived.
const BOX_WIDTH = 800;
const BOX_HEIGHT = 600;

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
  timeLeft.title = `Disappears at ${expiry.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
  head.append(avatar, author, timeLeft);
  item.append(head, createMedia(post));
  if (post.text) item.append(createCaption(post));
  return { item, timeLeft };
}

function createMedia(post: Post): HTMLElement {
  const frame = element("div", "post-media");
  if (!safeMediaUrl(post.mediaUrl)) {
    frame.append(element("p", "post-media-missing", "This media can't be shown."));
    return frame;
  }
  frame.append(post.mediaType === "video" ? createVideo(post) : createImage(post));
  return frame;
}

function createImage(post: Post): HTMLImageElement {
  const { src, srcset, sizes } = imageSources(post, { sizes: FEED_SIZES });
  const image = element("img");
  Object.assign(image, { alt: `Photo shared by ${post.username}`, loading: "lazy", decoding: "async" });
  Object.assign(image, { width: BOX_WIDTH, height: BOX_HEIGHT });
  // sizes before srcset, and both before src, so the browser never starts fetching a candidate it will not use.
  if (srcset) Object.assign(image, { sizes, srcset });
  image.src = safeMediaUrl(src) ?? "";
  return image;
}

function createVideo(post: Post): HTMLVideoElement {
  const { src, poster } = videoSources(post);
  const video = element("video");
  // Nothing is downloaded until someone presses play; the poster (the first frame, a small JPEG) shows meanwhile.
  Object.assign(video, { controls: true, preload: "none", playsInline: true, width: BOX_WIDTH, height: BOX_HEIGHT });
  const posterUrl = poster && safeMediaUrl(poster);
  if (posterUrl) video.poster = posterUrl;
  video.src = safeMediaUrl(src) ?? "";
  // Cloudinary converts video on the fly only up to 40 MB on the free plan: a larger one plays from its original.
  const original = safeMediaUrl(post.mediaUrl);
  if (original && original !== video.src) {
    video.addEventListener("error", () => video.setAttribute("src", original), { once: true });
  }
  video.setAttribute("aria-label", `Video shared by ${post.username}`);
  return video;
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
  const toggle = button("Show more", "caption-toggle");
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", caption.id);
  toggle.hidden = true;
  toggle.addEventListener("click", () => {
    const expand = toggle.getAttribute("aria-expanded") !== "true";
    caption.classList.toggle("clamped", !expand);
    toggle.setAttribute("aria-expanded", String(expand));
    toggle.textContent = expand ? "Show less" : "Show more";
  });
  // Whether the clamp cuts anything depends on the card's width, so it is measured, and again when the width changes.
  new ResizeObserver(() => {
    if (caption.classList.contains("clamped")) toggle.hidden = caption.scrollHeight <= caption.clientHeight + 1;
  }).observe(caption);
  wrap.append(caption, toggle);
  return wrap;
}

/** A stable colour per person, so a glance tells posts apart. */
function hueOf(userId: string): number {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hash;
}
