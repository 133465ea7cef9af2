// The composer's form state: folded on phones until used, the caption's counter and stored draft, and the busy
// state while posting (controls locked, real progress, Cancel within reach).

import { captionLength, MAX_TEXT_CHARS } from "../feed-client.js";
import { byId, setText } from "./dom.js";
import { t, text } from "./i18n/index.js";
import { loadDraft, saveDraft } from "./session.js";

export interface ComposerForm {
  caption: HTMLTextAreaElement;
  postButton: HTMLButtonElement;
  error: HTMLElement;
  notice: HTMLElement;
  /** Unfolds (or folds) the form; only phones show the fold (composer.css). */
  setExpanded(expanded: boolean): void;
  /** Folded and showing its "New post" button, so that button is the first control. */
  isCompact(): boolean;
  /** Empties the caption and its stored draft, and folds the form. */
  clear(): void;
}

export function mountComposerForm(onExpand: () => void): ComposerForm {
  const card = byId("composer");
  const toggle = byId<HTMLButtonElement>("composer-toggle");
  const caption = byId<HTMLTextAreaElement>("caption");
  const count = byId("caption-count");

  function setExpanded(expanded: boolean): void {
    card.classList.toggle("collapsed", !expanded);
    toggle.setAttribute("aria-expanded", String(expanded));
  }

  function updateCount(): void {
    const length = captionLength(caption.value);
    setText(count, t("composer.captionCount", { length, limit: MAX_TEXT_CHARS }));
    count.classList.toggle("over", length > MAX_TEXT_CHARS);
  }

  toggle.addEventListener("click", () => {
    const expand = card.classList.contains("collapsed");
    setExpanded(expand);
    if (expand) onExpand();
  });
  caption.addEventListener("input", () => {
    updateCount();
    saveDraft(caption.value);
  });
  // A draft from before a reload (e.g. an expired sign-in) comes back, with the form open on it.
  caption.value = loadDraft();
  setExpanded(caption.value !== "");
  updateCount();

  return {
    caption,
    postButton: byId<HTMLButtonElement>("post-button"),
    error: byId("composer-error"),
    notice: byId("composer-notice"),
    setExpanded,
    isCompact: () => card.classList.contains("collapsed") && toggle.offsetParent !== null,
    clear() {
      byId<HTMLFormElement>("composer-form").reset();
      saveDraft("");
      updateCount();
      setExpanded(false);
    },
  };
}

export interface UploadState {
  /** Locks the form and moves focus to Cancel, the one thing left to do. */
  start(): void;
  stop(): void;
  options(signal: AbortSignal): { signal: AbortSignal; onProgress: (fraction: number) => void };
}

export function mountUploadState(postButton: HTMLButtonElement): UploadState {
  const controls = [byId<HTMLInputElement>("media"), byId<HTMLTextAreaElement>("caption"), postButton];
  const bar = byId("upload");
  const progress = byId<HTMLProgressElement>("upload-progress");
  const percent = byId("upload-percent");
  const asPercent = new Intl.NumberFormat(text.lang, { style: "percent" });
  const setProgress = (fraction: number) => {
    const value = Math.round(fraction * 100);
    progress.value = value;
    setText(percent, asPercent.format(value / 100));
  };
  const setBusy = (busy: boolean) => {
    for (const control of controls) control.disabled = busy;
    setText(postButton, t(busy ? "composer.posting" : "composer.post"));
    bar.hidden = !busy;
    setProgress(0);
  };
  return {
    start() {
      setBusy(true);
      // The Post button is now disabled, which would drop focus to <body>.
      byId("cancel-upload").focus();
    },
    stop: () => setBusy(false),
    options: (signal) => ({ signal, onProgress: setProgress }),
  };
}
