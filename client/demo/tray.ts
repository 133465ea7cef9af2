// The stories tray: one entry per person with live posts, a ring while some are unseen, unseen people first.
import { imageSources, type Person } from "../feed-client.js";
import { element, safeMediaUrl } from "./dom.js";
import { t } from "./i18n/index.js";
import { hueOf } from "./post-card.js";

// The thumbnail is drawn 3.5rem wide (stories.css); two widths cover 1x and 2x-3x screens.
const THUMB_WIDTHS = [64, 160];
const THUMB_SIZES = "56px";

export interface TrayDeps {
  /** Whether the person's newest post has been seen here (they are then seen: the viewer shows oldest first). */
  isSeen(person: Person): boolean;
  onOpen(userId: string): void;
}

export interface Tray {
  show(people: Person[]): void;
  /** Redraws rings and order, e.g. after the viewer marked posts seen. */
  refresh(): void;
  /** The people in tray order: unseen first, then by newest post. */
  order(): Person[];
  entry(userId: string): HTMLButtonElement | undefined;
}

export function mountTray(list: HTMLUListElement, deps: TrayDeps): Tray {
  const entries = new Map<string, { item: HTMLLIElement; button: HTMLButtonElement; latestId: string }>();
  let people: Person[] = [];

  const order = () =>
    [...people].sort(
      (a, b) => Number(deps.isSeen(a)) - Number(deps.isSeen(b)) || b.latest.createdAt.localeCompare(a.latest.createdAt),
    );

  function render(): void {
    const sorted = order();
    const live = new Set(sorted.map((person) => person.userId));
    for (const [userId, entry] of entries) {
      if (!live.has(userId)) {
        entry.item.remove();
        entries.delete(userId);
      }
    }
    for (const node of list.querySelectorAll(".tray-skeleton")) node.remove();
    list.removeAttribute("aria-busy");
    sorted.forEach((person, index) => {
      let entry = entries.get(person.userId);
      if (!entry || entry.latestId !== person.latest.id) {
        const fresh = createEntry(person, () => deps.onOpen(person.userId));
        entry?.item.replaceWith(fresh.item);
        entry = { ...fresh, latestId: person.latest.id };
        entries.set(person.userId, entry);
      }
      const seen = deps.isSeen(person);
      entry.button.classList.toggle("unseen", !seen);
      const label = t(seen ? "tray.entrySeen" : "tray.entryUnseen", { name: person.username, count: person.postCount });
      entry.button.setAttribute("aria-label", label);
      // Only entries that moved are moved, so a focused one keeps its focus.
      const at = list.children[index] ?? null;
      if (at !== entry.item) list.insertBefore(entry.item, at);
    });
    list.classList.toggle("tray-empty", sorted.length === 0);
  }

  return {
    show(next) {
      people = next;
      render();
    },
    refresh: render,
    order,
    entry: (userId) => entries.get(userId)?.button,
  };
}

function createEntry(person: Person, onOpen: () => void): { item: HTMLLIElement; button: HTMLButtonElement } {
  const item = element("li", "tray-item");
  const button = element("button", "tray-entry");
  button.type = "button";
  button.dataset.userId = person.userId;
  const ring = element("span", "tray-ring");
  ring.setAttribute("aria-hidden", "true");
  const face = element("span", "tray-face", [...person.username][0]?.toUpperCase() ?? "?");
  face.style.setProperty("--hue", String(hueOf(person.userId)));
  const { src, srcset } = imageSources(person.latest, { widths: THUMB_WIDTHS });
  const safeSrc = safeMediaUrl(src);
  if (safeSrc) {
    const thumb = element("img", "tray-thumb");
    Object.assign(thumb, { alt: "", loading: "lazy", decoding: "async", sizes: THUMB_SIZES });
    if (srcset) thumb.srcset = srcset;
    thumb.addEventListener("error", () => thumb.remove(), { once: true });
    thumb.src = safeSrc;
    face.append(thumb);
  }
  ring.append(face);
  const name = element("bdi", "tray-name", person.username);
  name.setAttribute("aria-hidden", "true");
  button.append(ring, name);
  button.addEventListener("click", onOpen);
  item.append(button);
  return { item, button };
}
