// The page's one Text, in the language this visit reads in; <html lang> says the same.
import { chooseLanguage, createText } from "./text.js";

export type { MessageKey } from "./en.js";
export const text = createText(chooseLanguage(location.search, navigator.languages ?? [navigator.language]));
document.documentElement.lang = text.lang;
export const t = text.t;
