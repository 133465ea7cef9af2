// The demo's composer: pick a photo or video, write a caption, post with a progress bar, cancel, read clear errors.
import type { Post } from "../lib/schemas.js";
import { byId, element } from "./demo-dom.js";
import type { FeedClient } from "./feed-client.js";
import { FeedClientError } from "./feed-errors.js";
import { formatBytes } from "./file-check.js";
import { captionLength, DEFAULT_MAX_BYTES, MAX_CAPTION_CHARS } from "./limits.js";

export interface ComposerEvents {
  onPosted(post: Post): void;
  /** The server no longer accepts the token (expired sign-in). */
  onSignedOut(): void;
}

export function mountComposer(client: FeedClient, events: ComposerEvents): void {
  const form = byId<HTMLFormElement>("composer-form");
  const media = byId<HTMLInputElement>("media");
  const caption = byId<HTMLTextAreaElement>("caption");
  const count = byId("caption-count");
  const postButton = byId<HTMLButtonElement>("post-button");
  const upload = byId("upload");
  const progress = byId<HTMLProgressElement>("upload-progress");
  const percent = byId("upload-percent");
  const cancel = byId<HTMLButtonElement>("cancel-upload");
  const error = byId("composer-error");
  const notice = byId("composer-notice");
  const preview = byId("preview");
  let previewUrl: string | undefined;
  let uploading: AbortController | undefined;

  byId("media-hint").textContent =
    `Photos up to ${formatBytes(DEFAULT_MAX_BYTES.image)}, videos up to ${formatBytes(DEFAULT_MAX_BYTES.video)}.`;

  function showError(message: string): void {
    error.textContent = message;
    notice.textContent = "";
  }

  function updateCount(): void {
    const length = captionLength(caption.value);
    count.textContent = `${length} / ${MAX_CAPTION_CHARS}`;
    count.classList.toggle("over", length > MAX_CAPTION_CHARS);
  }

  function showPreview(file: File | undefined): void {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = undefined;
    preview.replaceChildren();
    preview.hidden = true;
    if (!file) return;
    try {
      const type = client.checkFile(file);
      previewUrl = URL.createObjectURL(file);
      const shown = type === "video" ? element("video") : element("img");
      shown.src = previewUrl;
      if (shown instanceof HTMLImageElement) shown.alt = "Preview of the chosen photo";
      else shown.muted = true;
      preview.append(shown);
      preview.hidden = false;
      showError("");
    } catch (problem) {
      showError(messageFor(problem));
    }
  }

  function setBusy(busy: boolean): void {
    for (const control of [media, caption, postButton]) control.disabled = busy;
    postButton.textContent = busy ? "Posting…" : "Post";
    upload.hidden = !busy;
    setProgress(0);
  }

  function setProgress(fraction: number): void {
    const value = Math.round(fraction * 100);
    progress.value = value;
    percent.textContent = `${value}%`;
  }

  media.addEventListener("change", () => showPreview(media.files?.[0]));
  caption.addEventListener("input", updateCount);
  cancel.addEventListener("click", () => uploading?.abort());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = media.files?.[0];
    if (!file) return showError("Choose a photo or video first.");
    uploading = new AbortController();
    showError("");
    setBusy(true);
    try {
      const post = await client.post(file, caption.value, { signal: uploading.signal, onProgress: setProgress });
      form.reset();
      showPreview(undefined);
      updateCount();
      notice.textContent = "Posted. It disappears in an hour.";
      events.onPosted(post);
    } catch (problem) {
      showError(messageFor(problem));
      if (problem instanceof FeedClientError && problem.code === "unauthorized") events.onSignedOut();
    } finally {
      uploading = undefined;
      setBusy(false);
    }
  });
  updateCount();
}

export function messageFor(problem: unknown): string {
  if (!(problem instanceof FeedClientError)) return "Something went wrong. Try again.";
  if (problem.code === "offline" && typeof navigator !== "undefined" && !navigator.onLine) {
    return "You're offline. Reconnect and try again.";
  }
  return problem.message;
}
