// The author's Delete on a card: a few seconds to undo before anything is sent, and a failure shown on the card
// itself, beside the button, until it is dismissed or the post is gone (a poll never overwrites it).
import type { Post } from "../feed-client.js";
import { button, element, setText } from "./dom.js";
import { t } from "./i18n/index.js";
import { problemMessage } from "./wording.js";

// Long enough to notice a slip and press Undo, short enough that the post is really gone soon after.
export const UNDO_MS = 5000;

export interface DeleteDeps {
  /** Resolves once the server has deleted the post; rejects with the reason it could not. */
  remove(post: Post): Promise<void>;
  /** The post is deleted: the view drops its card. */
  onDeleted(post: Post): void;
}

// Deletes still waiting out their undo time; a page being left sends them at once rather than forgetting them.
const waiting = new Set<() => void>();
addEventListener("pagehide", () => {
  for (const send of waiting) send();
});

/** Adds the Delete button (and its undo bar and error line) to the author's own card. */
export function addDeleteControls(post: Post, card: HTMLLIElement, deps: DeleteDeps): void {
  const actions = element("div", "post-actions");
  const deleteButton = button(t("post.delete"), "button-quiet button-danger");
  const problem = element("div", "post-error");
  problem.hidden = true;
  const undo = createUndoBar();
  actions.append(deleteButton);
  card.append(problem, actions, undo.bar);
  let timer: ReturnType<typeof setTimeout> | undefined;

  function restore(): void {
    clearTimeout(timer);
    waiting.delete(send);
    // Focus returns to Delete only from Undo (or from nowhere): someone already typing elsewhere keeps their place.
    const focusHere = card.contains(document.activeElement) || document.activeElement === document.body;
    card.classList.remove("pending-delete");
    setText(undo.status, "");
    if (focusHere) deleteButton.focus();
  }

  async function send(): Promise<void> {
    clearTimeout(timer);
    waiting.delete(send);
    // aria-disabled, not disabled: a disabled button loses focus to <body>, and focus should follow the card.
    undo.button.setAttribute("aria-disabled", "true");
    setText(undo.status, t("post.deleting"));
    try {
      await deps.remove(post);
      deps.onDeleted(post);
    } catch (error) {
      undo.button.removeAttribute("aria-disabled");
      restore();
      showProblem(problem, problemMessage(error), () => deleteButton.focus());
    }
  }

  deleteButton.addEventListener("click", () => {
    problem.hidden = true;
    card.classList.add("pending-delete");
    setText(undo.status, t("post.deleted"));
    undo.button.focus();
    waiting.add(send);
    timer = setTimeout(send, UNDO_MS);
  });
  undo.button.addEventListener("click", () => {
    // Too late once the request is out: the server decides, and a failure brings the card back anyway.
    if (undo.button.getAttribute("aria-disabled") !== "true") restore();
  });
}

/** The failure, beside the Delete button, until its Dismiss button is pressed. */
function showProblem(problem: HTMLElement, message: string, onDismiss: () => void): void {
  const dismiss = button(t("post.dismiss"), "button-quiet");
  dismiss.addEventListener("click", () => {
    problem.hidden = true;
    problem.replaceChildren();
    onDismiss();
  });
  const text = element("p", undefined, t("post.deleteFailed", { reason: message }));
  text.setAttribute("role", "alert");
  problem.replaceChildren(text, dismiss);
  problem.hidden = false;
}

/** What stands in for the card while the delete can still be undone. */
function createUndoBar(): { bar: HTMLElement; status: HTMLElement; button: HTMLButtonElement } {
  const bar = element("div", "post-undo");
  const status = element("p", "post-undo-status");
  status.setAttribute("role", "status");
  const undoButton = button(t("post.undo"), "button-quiet");
  bar.append(status, undoButton);
  return { bar, status, button: undoButton };
}
