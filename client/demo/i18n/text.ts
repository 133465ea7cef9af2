// The page's words in the reader's language: the catalog chosen from ?lang= or navigator.languages, placeholders
// filled whole, plurals through Intl.PluralRules, and times, sizes and lists through Intl's formatters.
import { type Catalog, en, type MessageKey } from "./en.js";
import { id } from "./id.js";

export const LANGUAGES = { en, id } satisfies Record<string, Catalog>;
export type Language = keyof typeof LANGUAGES;
type Params = Record<string, string | number>;

const isLanguage = (value: string): value is Language => Object.hasOwn(LANGUAGES, value);

/** `?lang=id` wins; then the first of the browser's languages we have (id-ID → id); English otherwise. */
export function chooseLanguage(search: string, preferred: readonly string[]): Language {
  const asked = new URLSearchParams(search).get("lang")?.toLowerCase() ?? "";
  if (isLanguage(asked)) return asked;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

export interface PageText {
  readonly lang: Language;
  /** The message with its placeholders filled; a plural message picks its form by `params.count`. */
  t(key: MessageKey, params?: Params): string;
  /** The message as nodes, with `slots` (elements) standing where their placeholders are. */
  nodes(key: MessageKey, slots: Record<string, Node>, params?: Params): Node[];
  /** "59m left", "1h 5m left", "30s left": whole units, rounded down. */
  timeLeft(ms: number): string;
  /** "2 minutes", "1 hour": how long posts live. */
  lifetime(seconds: number): string;
  /** "5 minutes ago". */
  ago(ms: number): string;
  /** "14:05" in the reader's convention. */
  clock(date: Date): string;
  /** "10 MB", "512 kB". */
  bytes(bytes: number): string;
  /** "JPEG, PNG or HEIC" in the reader's language. */
  alternatives(items: string[]): string;
}

export function createText(lang: Language): PageText {
  const catalog: Catalog = LANGUAGES[lang];
  const plural = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang);
  const unit = (value: number, name: string, unitDisplay: "narrow" | "long" | "short") =>
    new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay }).format(value);

  function pick(key: MessageKey, params: Params): string {
    const message = catalog[key];
    if (typeof message === "string") return message;
    const count = Number(params.count ?? 0);
    return message[plural.select(count)] ?? message.other;
  }

  const fill = (template: string, params: Params) =>
    template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === "number" ? number.format(value) : value;
    });

  const t = (key: MessageKey, params: Params = {}) => fill(pick(key, params), params);

  return {
    lang,
    t,
    nodes(key, slots, params = {}) {
      return fill(pick(key, params), params)
        .split(/(\{\w+\})/)
        .filter((part) => part !== "")
        .map((part) => slots[part.slice(1, -1)] ?? document.createTextNode(part));
    },
    timeLeft(ms) {
      const seconds = Math.max(0, Math.floor(ms / 1000));
      let duration: string;
      if (seconds >= 3600) {
        const hours = unit(Math.floor(seconds / 3600), "hour", "narrow");
        const minutes = unit(Math.floor((seconds % 3600) / 60), "minute", "narrow");
        duration = t("post.hoursAndMinutes", { hours, minutes });
      } else if (seconds >= 60) duration = unit(Math.floor(seconds / 60), "minute", "narrow");
      else duration = unit(seconds, "second", "narrow");
      return t("post.timeLeft", { duration });
    },
    lifetime(seconds) {
      if (seconds % 3600 === 0) return unit(seconds / 3600, "hour", "long");
      if (seconds % 60 === 0) return unit(seconds / 60, "minute", "long");
      return unit(seconds, "second", "long");
    },
    ago(ms) {
      const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
      const seconds = Math.max(0, Math.round(ms / 1000));
      if (seconds < 60) return relative.format(-seconds, "second");
      if (seconds < 3600) return relative.format(-Math.floor(seconds / 60), "minute");
      return relative.format(-Math.floor(seconds / 3600), "hour");
    },
    clock: (date) => new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }).format(date),
    bytes(bytes) {
      const mb = bytes / (1024 * 1024);
      // Rounded up, so a file just over a limit never reads as equal to it ("10.1 MB", not "10 MB").
      if (mb >= 1) return unit(Math.ceil(mb * 10) / 10, "megabyte", "short");
      return unit(Math.ceil(bytes / 1024), "kilobyte", "short");
    },
    alternatives: (items) => new Intl.ListFormat(lang, { type: "disjunction" }).format(items),
  };
}

/**
 * Writes the catalog's words into the page's static markup: `data-i18n` (the text; child elements with `data-slot`
 * stay, placed where their placeholder is), `data-i18n-aria-label` and `data-i18n-placeholder`.
 */
export function translatePage(root: ParentNode, text: PageText): void {
  for (const node of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    const slots: Record<string, Node> = {};
    for (const slot of node.querySelectorAll<HTMLElement>(":scope [data-slot]")) slots[slot.dataset.slot ?? ""] = slot;
    const wrapClass = node.dataset.i18nTextClass;
    const parts = text.nodes(node.dataset.i18n as MessageKey, slots);
    // A class for the words around the slots, e.g. to hide "Signed in as" on narrow screens but keep the name.
    node.replaceChildren(
      ...parts.map((part) => (wrapClass && part instanceof globalThis.Text ? wrapText(part, wrapClass) : part)),
    );
  }
  for (const node of root.querySelectorAll<HTMLElement>("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", text.t(node.dataset.i18nAriaLabel as MessageKey));
  }
  for (const node of root.querySelectorAll<HTMLElement>("[data-i18n-placeholder]")) {
    node.setAttribute("placeholder", text.t(node.dataset.i18nPlaceholder as MessageKey));
  }
}

function wrapText(part: globalThis.Text, className: string): HTMLElement {
  const span = document.createElement("span");
  span.className = className;
  span.append(part);
  return span;
}
