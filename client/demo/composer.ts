// The demo's composer: a photo or video and a caption, posted with progress and cancel; each outcome leaves its
// message in the right place and focus on what to do next.
import { type FeedClient, FeedClientError, type Post } from "../feed-client.js";
import { type ComposerForm, mountComposerForm, mountUploadState } from "./composer-form.js";
import { byId, setText } from "./dom.js";
import { t } from "./i18n/index.js";
import { type MediaPicker, mountMediaPicker } from "./media-picker.js";
import { problemMessage } from "./wording.js";

export interface ComposerDeps {
  client: FeedClient;
  /** How long a post lives, in words ("2 minutes"), as the server said. */
  lifetimeWords(): string;
  /** The post is published; the page shows it and moves focus to it. */
  onPosted(post: Post): void;
  /** The server refused the token (e.g. the dev server restarted); the draft stays in the form for later. */
  onSignedOut(reason: string): void;
}

export interface Composer {
  /** Focuses the first control: "New post" while folded, else the file picker. */
  focus(): void;
  /** Empties the form and the stored draft, so the next person to sign in on this tab starts clean. */
  reset(): void;
}

// Refusals about the file itself are shown under the picker, next to the thing to change.
const FILE_PROBLEMS = new Set(["unsupported_file", "file_too_large", "empty_file"]);

export function mountComposer(deps: ComposerDeps): Composer {
  const picker = mountMediaPicker(deps.client);
  const form = mountComposerForm(() => picker.focus());
  const upload = mountUploadState(form.postButton);
  let uploading: AbortController | undefined;

  async function submit(): Promise<void> {
    const file = picker.file();
    setText(form.error, "");
    setText(form.notice, "");
    if (!file) {
      picker.showError(t("composer.chooseFile"));
      picker.focus();
      return;
    }
    uploading = new AbortController();
    upload.start();
    let post: Post | undefined;
    let problem: unknown;
    try {
      post = await deps.client.post(file, form.caption.value, upload.options(uploading.signal));
    } catch (error) {
      problem = error;
    }
    uploading = undefined;
    upload.stop();
    if (!post) return settleFailure(problem, { form, picker, deps });
    form.clear();
    picker.reset();
    setText(form.notice, t("composer.posted", { lifetime: deps.lifetimeWords() }));
    deps.onPosted(post);
  }

  byId("cancel-upload").addEventListener("click", () => uploading?.abort());
  byId<HTMLFormElement>("composer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void submit();
  });

  return {
    focus: () => (form.isCompact() ? byId("composer-toggle").focus() : picker.focus()),
    reset() {
      uploading?.abort();
      form.clear();
      picker.reset();
      setText(form.error, "");
      setText(form.notice, "");
    },
  };
}

/** Where a failed post leaves the person: the reason beside what to change, and focus on what to do next. */
function settleFailure(problem: unknown, ui: { form: ComposerForm; picker: MediaPicker; deps: ComposerDeps }): void {
  const { form, picker, deps } = ui;
  // Signed out (or reset) while posting: the composer is gone, and the sign-in form has the focus now.
  if (byId("composer").hidden) return;
  const code = problem instanceof FeedClientError ? problem.code : undefined;
  if (code === "unauthorized") {
    deps.onSignedOut(t("signIn.expiredWhilePosting"));
  } else if (code === "aborted") {
    setText(form.notice, t("composer.cancelled"));
    form.postButton.focus();
  } else if (code && FILE_PROBLEMS.has(code)) {
    picker.showError(problemMessage(problem));
    picker.focus();
  } else {
    setText(form.error, problemMessage(problem));
    form.postButton.focus();
  }
}
