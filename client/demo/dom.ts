// Small DOM helpers for the demo page; user data only ever reaches the page through textContent and attributes.

/** The element with this id; the page's HTML and its script ship together, so a missing one is a bug. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}`);
  return element as T;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A `type="button"` button, so it never submits a form it happens to sit in. */
export function button(text: string, className?: string): HTMLButtonElement {
  const node = element("button", className, text);
  node.type = "button";
  return node;
}

/** Writes only when the words change: rewriting a live region with the same text can make screen readers repeat it. */
export function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** Focuses an element that is not focusable by itself (a heading, a card) without adding it to the tab order. */
export function focusElement(node: HTMLElement): void {
  if (!node.hasAttribute("tabindex")) node.tabIndex = -1;
  node.focus();
}

/** Only http(s) media is shown: a javascript: or data: URL from a bad server never becomes a src. */
export function safeMediaUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}
