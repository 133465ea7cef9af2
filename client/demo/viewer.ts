// The full-screen story viewer: one person's posts oldest first, a progress segment each, photos for a few seconds and
// videos to their end, then the next person; a modal dialog that keeps focus and hands it back when closed.
import type { Post } from "../feed-client.js";
import { byId, element, setText } from "./dom.js";
import { t, text } from "./i18n/index.js";
import { createMediaFrame } from "./media-frame.js";
import { problemMessage } from "./wording.js";

// Long enough to take a photo in and read a short caption; stories apps use about the same.
export const PHOTO_MS = 5000;
// The viewer is one column at most 480 px wide (styles/stories.css); the browser picks widths for that.
const VIEWER_SIZES = "(min-width: 480px) 480px, 100vw";
const VIEWER_WIDTHS = [480, 960, 1440];
// A horizontal drag this long is a swipe, not a tap.
const SWIPE_PX = 40;

export interface ViewerDeps {
  /** One person's live posts, oldest first. */
  postsOf(userId: string): Promise<Post[]>;
  /** Who comes after whom: the tray's order when the viewer opened. */
  order(): string[];
  isSeen(post: Post): boolean;
  markSeen(post: Post): void;
  expiresAt(post: Post): number;
  /** Where focus goes back to when the viewer closes: that person's tray entry. */
  entryOf(userId: string): HTMLElement | undefined;
}

export interface Viewer {
  open(userId: string): void;
}

export function mountViewer(deps: ViewerDeps): Viewer {
  const dialog = byId("viewer");
  const stage = byId("viewer-stage");
  const media = byId("viewer-media");
  const progress = byId("viewer-progress");
  const pause = byId<HTMLButtonElement>("viewer-pause");
  let people: string[] = [];
  let person = -1;
  let posts: Post[] = [];
  let index = 0;
  let paused = false;
  let video: HTMLVideoElement | undefined;
  // The photo timer: when it started (or resumed) and how much of it was left then.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerStarted = 0;
  let timerLeft = PHOTO_MS;
  let opened = 0;

  function stopTimer(): void {
    clearTimeout(timer);
    timer = undefined;
  }

  function runTimer(): void {
    stopTimer();
    if (paused || video) return;
    timerStarted = performance.now();
    timer = setTimeout(next, timerLeft);
  }

  function setPaused(value: boolean): void {
    paused = value;
    pause.setAttribute("aria-pressed", String(paused));
    pause.setAttribute("aria-label", t(paused ? "viewer.resume" : "viewer.pause"));
    dialog.classList.toggle("paused", paused);
    if (video) void (paused ? video.pause() : video.play().catch(() => {}));
    if (paused && timer) {
      timerLeft = Math.max(0, timerLeft - (performance.now() - timerStarted));
      stopTimer();
    } else if (!paused && !video && timerLeft < PHOTO_MS) runTimer();
  }

  function renderProgress(): void {
    progress.replaceChildren(
      ...posts.map((_, at) => {
        const segment = element("span", "viewer-segment");
        segment.classList.toggle("done", at < index);
        if (at === index) segment.classList.add("current", video ? "video" : "photo");
        segment.append(element("span", "viewer-fill"));
        return segment;
      }),
    );
    progress.style.setProperty("--photo-ms", `${PHOTO_MS}ms`);
  }

  function showPost(at: number): void {
    stopTimer();
    video?.pause();
    index = at;
    const post = posts[index];
    timerLeft = PHOTO_MS;
    const shown = createMediaFrame(post, "viewer-frame-media", {
      sizes: VIEWER_SIZES,
      widths: VIEWER_WIDTHS,
      autoplay: true,
      // The photo's seconds start once it is on screen, so a slow network does not skip it unseen.
      onReady: () => {
        if (posts[index] === post && !shown.video) runTimer();
      },
    });
    video = shown.video;
    if (video) {
      const playing = video;
      playing.addEventListener("ended", () => playing === video && next());
      playing.addEventListener("timeupdate", () => {
        const fill = progress.querySelector<HTMLElement>(".current .viewer-fill");
        if (playing.duration) fill?.style.setProperty("--done", String(playing.currentTime / playing.duration));
      });
      if (paused) playing.autoplay = false;
    }
    media.replaceChildren(shown.frame);
    renderProgress();
    setText(byId("viewer-position"), t("viewer.position", { index: index + 1, count: posts.length }));
    setText(byId("viewer-posted"), t("viewer.posted", { ago: text.ago(Date.now() - Date.parse(post.createdAt)) }));
    setText(byId("viewer-left"), text.timeLeft(deps.expiresAt(post) - Date.now()));
    setText(byId("viewer-caption"), post.text);
    byId("viewer-caption").hidden = post.text === "";
    deps.markSeen(post);
  }

  async function showPerson(at: number, fromEnd = false): Promise<void> {
    person = at;
    const userId = people[person];
    const load = ++opened;
    stopTimer();
    posts = [];
    video = undefined;
    progress.replaceChildren();
    media.replaceChildren(element("p", "viewer-note", t("viewer.loading")));
    let found: Post[];
    try {
      found = await deps.postsOf(userId);
    } catch (problem) {
      if (load === opened)
        media.replaceChildren(element("p", "viewer-note", t("viewer.failed", { reason: problemMessage(problem) })));
      return;
    }
    if (load !== opened || dialog.hidden) return;
    posts = found;
    if (posts.length === 0) {
      media.replaceChildren(element("p", "viewer-note", t("viewer.gone")));
      return;
    }
    setText(byId("viewer-title"), t("viewer.label", { name: posts[0].username }));
    // Where this person's new posts start; from the beginning when all are seen.
    const firstUnseen = posts.findIndex((post) => !deps.isSeen(post));
    showPost(fromEnd ? posts.length - 1 : Math.max(0, firstUnseen));
  }

  function next(): void {
    if (index < posts.length - 1) showPost(index + 1);
    else if (person < people.length - 1) void showPerson(person + 1);
    else close();
  }

  function previous(): void {
    if (index > 0) showPost(index - 1);
    else if (person > 0) void showPerson(person - 1, true);
    else if (posts.length > 0) showPost(0);
  }

  function close(): void {
    if (dialog.hidden) return;
    opened += 1;
    stopTimer();
    video?.pause();
    video = undefined;
    media.replaceChildren();
    dialog.hidden = true;
    document.body.classList.remove("viewer-open");
    for (const outside of document.querySelectorAll<HTMLElement>("body > header, body > main")) outside.inert = false;
    (deps.entryOf(people[person]) ?? document.body).focus();
  }

  function open(userId: string): void {
    people = deps.order();
    const at = people.indexOf(userId);
    if (at < 0) return;
    setPaused(false);
    dialog.hidden = false;
    document.body.classList.add("viewer-open");
    // Everything behind the dialog is out of reach of focus, clicks and screen readers until it closes.
    for (const outside of document.querySelectorAll<HTMLElement>("body > header, body > main")) outside.inert = true;
    byId("viewer-close").focus();
    void showPerson(at);
  }

  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
    else if (event.key === "ArrowRight") next();
    else if (event.key === "ArrowLeft") previous();
    else if (event.key === "Tab") trapFocus(dialog, event);
    else return;
    if (event.key !== "Tab") event.preventDefault();
  });
  byId("viewer-close").addEventListener("click", close);
  byId("viewer-next").addEventListener("click", () => !swiped && next());
  byId("viewer-prev").addEventListener("click", () => !swiped && previous());
  pause.addEventListener("click", () => setPaused(!paused));

  // A swipe left is next, right is back; the tap zones (halves of the stage) handle plain taps.
  let start: { x: number; y: number } | undefined;
  let swiped = false;
  stage.addEventListener("pointerdown", (event) => {
    start = { x: event.clientX, y: event.clientY };
    swiped = false;
  });
  stage.addEventListener("pointerup", (event) => {
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    start = undefined;
    if (Math.abs(dx) < SWIPE_PX || Math.abs(dx) < Math.abs(dy)) return;
    swiped = true;
    if (dx < 0) next();
    else previous();
    // The click that follows this pointerup belongs to the swipe.
    setTimeout(() => (swiped = false), 0);
  });

  return { open };
}

/** Keeps Tab and Shift+Tab inside the dialog. */
function trapFocus(dialog: HTMLElement, event: KeyboardEvent): void {
  const focusable = [...dialog.querySelectorAll<HTMLElement>("button, [href], video[controls], [tabindex='0']")].filter(
    (node) => !node.hidden && node.offsetParent !== null,
  );
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    last.focus();
    event.preventDefault();
  } else if (!event.shiftKey && document.activeElement === last) {
    first.focus();
    event.preventDefault();
  }
}
