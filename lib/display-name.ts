// Display names from token claims: the one list of characters a name never keeps, and the cleaning that applies it.

const MAX_USERNAME_CHARS = 64;

/**
 * Code points removed from every name: invisible, blank-looking, or able to reorder the text around a name, so a
 * name could pass for another one, look empty, or disguise what is shown after it. Ranges are inclusive.
 */
export const INVISIBLE_IN_NAMES: readonly (readonly [first: number, last: number])[] = [
  [0x0000, 0x001f], // C0 controls, tab and newline included
  [0x007f, 0x009f], // DEL and the C1 controls
  [0x00ad, 0x00ad], // soft hyphen: invisible unless a line breaks there
  [0x034f, 0x034f], // combining grapheme joiner
  [0x061c, 0x061c], // Arabic letter mark (a bidi mark)
  [0x115f, 0x1160], // Hangul choseong and jungseong fillers: blank, yet letters
  [0x180e, 0x180e], // Mongolian vowel separator
  [0x200b, 0x200b], // zero-width space (U+200C and U+200D are joiners: see STRAY_JOINER)
  [0x200e, 0x200f], // left-to-right and right-to-left marks
  [0x202a, 0x202e], // bidi embeddings and overrides
  [0x2060, 0x2064], // word joiner, invisible function application, times, separator and plus
  [0x2066, 0x2069], // bidi isolates
  [0x206a, 0x206f], // deprecated invisible format characters
  [0x2800, 0x2800], // braille pattern blank
  [0x3164, 0x3164], // Hangul filler
  [0xd800, 0xdfff], // lone surrogates (a paired one is a single code point and never matches)
  [0xfeff, 0xfeff], // zero-width no-break space (byte order mark)
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff9, 0xfffb], // interlinear annotation controls
  [0xe0000, 0xe007f], // tag characters, except in a subdivision flag (FLAG_TAG_SEQUENCE)
];

const hex = (codePoint: number) => `\\u{${codePoint.toString(16)}}`;
const INVISIBLE_CLASS = `[${INVISIBLE_IN_NAMES.map(([first, last]) => `${hex(first)}-${hex(last)}`).join("")}]`;
// A subdivision flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿 (Scotland) is U+1F3F4, a CLDR subdivision id (up to 7 tag letters and digits) in
// tag characters, then the cancel tag: the only place tags show anything, so the only place they are kept.
const FLAG_TAG_SEQUENCE = "\\u{1f3f4}[\\u{e0030}-\\u{e0039}\\u{e0061}-\\u{e007a}]{1,7}\\u{e007f}";
const INVISIBLE = new RegExp(`(${FLAG_TAG_SEQUENCE})|${INVISIBLE_CLASS}`, "gu");
// ZWNJ and ZWJ shape the characters on both sides (Persian words, emoji sequences such as 👨‍👩‍👧), so they stay
// between two visible characters; next to a space, at an edge or in a run of joiners they join nothing.
const STRAY_JOINER = /(?<![^\s\u200c\u200d])[\u200c\u200d]|[\u200c\u200d](?![^\s\u200c\u200d])/gu;

/** A display name without hidden or reordering characters, trimmed and cut to 64 characters; "" if nothing is left. */
export function cleanUsername(raw: string): string {
  const visible = raw
    .replace(INVISIBLE, (_, flag: string | undefined) => flag ?? "")
    .replace(STRAY_JOINER, "")
    .trim();
  // Cut by code points, so an emoji's surrogate pair is never split; a joiner the cut leaves last joins nothing.
  return Array.from(visible).slice(0, MAX_USERNAME_CHARS).join("").replace(STRAY_JOINER, "").trimEnd();
}
