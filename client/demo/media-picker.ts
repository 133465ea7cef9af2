// The composer's file picker: the allowed formats under it, a preview, and the real-format check's refusal beside it.

import { type FeedClient, MAX_MEDIA_BYTES, type MediaType } from "../feed-client.js";
import { byId, element, setText } from "./dom.js";
import { t } from "./i18n/index.js";
import { mediaHint, problemMessage } from "./wording.js";

export interface MediaPicker {
  file(): File | undefined;
  /** Shows why the chosen file cannot be posted, under the picker, and marks the picker invalid. */
  showError(message: string): void;
  reset(): void;
  focus(): void;
}

export function mountMediaPicker(client: FeedClient): MediaPicker {
  const input = byId<HTMLInputElement>("media");
  const error = byId("media-error");
  const preview = byId("preview");
  let previewUrl: string | undefined;
  // Checking reads the file; only the newest choice may show its preview or its refusal.
  let latestCheck = 0;

  setText(byId("media-hint"), mediaHint(MAX_MEDIA_BYTES));

  function showError(message: string): void {
    setText(error, message);
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function clearPreview(): void {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = undefined;
    preview.replaceChildren();
    preview.hidden = true;
  }

  async function check(): Promise<void> {
    const run = ++latestCheck;
    const file = input.files?.[0];
    clearPreview();
    showError("");
    if (!file) return;
    try {
      const type = await client.verifyFile(file);
      if (run === latestCheck) previewUrl = showPreview(preview, file, type);
    } catch (problem) {
      if (run === latestCheck) showError(problemMessage(problem));
    }
  }

  input.addEventListener("change", () => void check());
  return {
    file: () => input.files?.[0],
    showError,
    reset() {
      latestCheck += 1;
      input.value = "";
      clearPreview();
      showError("");
    },
    focus: () => input.focus(),
  };
}

/** Shows the chosen file in the preview box; returns its object URL, to revoke when the choice changes. */
function showPreview(preview: HTMLElement, file: File, type: MediaType): string {
  const url = URL.createObjectURL(file);
  const shown = type === "video" ? element("video") : element("img");
  if (shown instanceof HTMLImageElement) shown.alt = t("composer.previewAlt");
  else shown.muted = true;
  // HEIC or MOV may not play here; viewers get them converted (f_auto), so only the preview is missing.
  shown.addEventListener("error", () => {
    preview.replaceChildren(element("p", "preview-missing", t("composer.noPreview")));
  });
  shown.src = url;
  preview.replaceChildren(shown);
  preview.hidden = false;
  return url;
}
