// How the browser counts a caption: as the server does, so the counter and the limit agree.

/** Characters as the server counts them (code points), so an emoji counts once. */
export function captionLength(text: string): number {
  return [...text].length;
}
