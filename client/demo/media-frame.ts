// A post's media in a frame of its own shape: a tiny blurred copy first (its colours, and the aspect ratio), then the
// photo or video drawn over it at a width chosen for the frame, and a clear card when the media cannot be loaded.
import { imageSources, type Post, placeholderSource, videoSources } from "../feed-client.js";
import { element, safeMediaUrl } from "./dom.js";
import { t } from "./i18n/index.js";

// From a phone's 3:4 portrait to a 1.91:1 landscape (the widest a feed shows whole); beyond these the picture is
// drawn whole inside the frame and the blurred copy fills the rest, so no frame is ever half empty.
const MIN_RATIO = 3 / 4;
const MAX_RATIO = 1.91;

export interface MediaOptions {
  /** The `sizes` attribute: the frame's drawn width, matching the CSS that lays it out. */
  sizes: string;
  widths?: number[];
  /** The viewer plays videos by itself (muted, inline); the feed shows controls and loads nothing until played. */
  autoplay?: boolean;
  /** Called once the photo is shown, the video is ready, or the media has failed (so a story timer can start). */
  onReady?: () => void;
}

export interface MediaFrame {
  frame: HTMLElement;
  video?: HTMLVideoElement;
}

export function createMediaFrame(post: Post, className: string, options: MediaOptions): MediaFrame {
  const frame = element("div", className);
  const original = safeMediaUrl(post.mediaUrl);
  if (!original) {
    showBroken(frame, options);
    return { frame };
  }
  const placeholder = safeMediaUrl(placeholderSource(post));
  if (placeholder) {
    const blur = element("img", "media-placeholder");
    Object.assign(blur, { alt: "", decoding: "async" });
    blur.setAttribute("aria-hidden", "true");
    blur.addEventListener("load", () => setRatio(frame, blur.naturalWidth, blur.naturalHeight), { once: true });
    blur.addEventListener("error", () => blur.remove(), { once: true });
    blur.src = placeholder;
    frame.append(blur);
  }
  if (post.mediaType === "video") {
    const video = createVideo(post, original, frame, options);
    frame.append(video);
    return { frame, video };
  }
  frame.append(createImage(post, frame, options));
  return { frame };
}

function createImage(post: Post, frame: HTMLElement, options: MediaOptions): HTMLImageElement {
  const { src, srcset, sizes } = imageSources(post, { sizes: options.sizes, widths: options.widths });
  const image = element("img", "media-main");
  Object.assign(image, { alt: t("post.photoAlt", { name: post.username }), decoding: "async" });
  if (!options.autoplay) image.loading = "lazy";
  image.addEventListener(
    "load",
    () => {
      setRatio(frame, image.naturalWidth, image.naturalHeight);
      frame.classList.add("loaded");
      options.onReady?.();
    },
    { once: true },
  );
  image.addEventListener("error", () => showBroken(frame, options), { once: true });
  // sizes before srcset, and both before src, so the browser never starts fetching a candidate it will not use.
  if (srcset) Object.assign(image, { sizes, srcset });
  image.src = safeMediaUrl(src) ?? "";
  return image;
}

function createVideo(post: Post, original: string, frame: HTMLElement, options: MediaOptions): HTMLVideoElement {
  const { src, poster } = videoSources(post);
  const video = element("video", "media-main");
  // In the feed nothing is downloaded until someone presses play; the poster (the first frame) shows meanwhile.
  Object.assign(video, { playsInline: true, preload: options.autoplay ? "auto" : "none" });
  if (options.autoplay) Object.assign(video, { muted: true, autoplay: true });
  else video.controls = true;
  const posterUrl = poster && safeMediaUrl(poster);
  if (posterUrl) video.poster = posterUrl;
  video.src = safeMediaUrl(src) ?? "";
  video.setAttribute("aria-label", t("post.videoLabel", { name: post.username }));
  video.addEventListener("loadedmetadata", () => setRatio(frame, video.videoWidth, video.videoHeight));
  video.addEventListener("canplay", () => options.onReady?.(), { once: true });
  // Cloudinary converts video on the fly only up to 40 MB on the free plan: a larger one plays from its original.
  video.addEventListener("error", () => {
    if (video.getAttribute("src") !== original) video.setAttribute("src", original);
    else showBroken(frame, options);
  });
  return video;
}

function setRatio(frame: HTMLElement, width: number, height: number): void {
  if (!width || !height) return;
  const ratio = Math.min(MAX_RATIO, Math.max(MIN_RATIO, width / height));
  frame.style.setProperty("--ratio", ratio.toFixed(4));
}

/** The media is gone or unreadable: a card that says so, in place of a black box with alt text on it. */
function showBroken(frame: HTMLElement, options: MediaOptions): void {
  const card = element("div", "media-broken");
  const icon = element("span", "media-broken-icon");
  icon.setAttribute("aria-hidden", "true");
  card.append(icon, element("p", undefined, t("post.mediaMissing")));
  frame.replaceChildren(card);
  frame.classList.add("broken");
  options.onReady?.();
}
