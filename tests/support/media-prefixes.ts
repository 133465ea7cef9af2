// The first bytes of real media files, as the tools that make them write them, for the format checks.
import type { MediaType } from "../../lib/schemas.js";

const hex = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(text.match(/[0-9a-f]{2}/gi) ?? [], (pair) => Number.parseInt(pair, 16));

export interface MediaPrefix {
  mediaType: MediaType;
  format: string;
  mime: string;
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export const PREFIXES: Record<string, MediaPrefix> = {
  // JFIF APP0, as cameras and libjpeg write it.
  jpeg: {
    mediaType: "image",
    format: "jpg",
    mime: "image/jpeg",
    name: "a.jpg",
    bytes: hex("ffd8ffe000104a46494600010101"),
  },
  png: {
    mediaType: "image",
    format: "png",
    mime: "image/png",
    name: "a.png",
    bytes: hex("89504e470d0a1a0a0000000d49484452"),
  },
  gif: { mediaType: "image", format: "gif", mime: "image/gif", name: "a.gif", bytes: hex("474946383961010001008000") },
  webp: {
    mediaType: "image",
    format: "webp",
    mime: "image/webp",
    name: "a.webp",
    bytes: hex("52494646a2000000574542505650384c"),
  },
  // libavif: major brand avif, compatible avif mif1 miaf MA1B.
  avif: {
    mediaType: "image",
    format: "avif",
    mime: "image/avif",
    name: "a.avif",
    bytes: hex("0000002066747970617669660000000061766966 6d6966316d6961664d413142"),
  },
  // An iPhone photo: major brand heic, compatible mif1 heic.
  heic: {
    mediaType: "image",
    format: "heic",
    mime: "image/heic",
    name: "IMG_0001.HEIC",
    bytes: hex("0000001866747970 6865696300000000 6d69663168656963 00000f2a6d657461"),
  },
  // ffmpeg's MP4 muxer: isom, 0x200, isom iso2 avc1 mp41.
  mp4: {
    mediaType: "video",
    format: "mp4",
    mime: "video/mp4",
    name: "a.mp4",
    bytes: hex("0000002066747970 69736f6d00000200 69736f6d69736f32 617663316d703431"),
  },
  // An iPhone video: QuickTime brand "qt  ", then the `wide` atom.
  mov: {
    mediaType: "video",
    format: "mov",
    mime: "video/quicktime",
    name: "IMG_0002.MOV",
    bytes: hex("0000001466747970 7174202000000000 7174202000000008 77696465"),
  },
  // iTunes/HandBrake M4V: M4V, compatible M4V M4A mp42 isom.
  m4v: {
    mediaType: "video",
    format: "m4v",
    mime: "video/x-m4v",
    name: "a.m4v",
    bytes: hex("0000001c66747970 4d34562000000001 4d3456204d344120 6d70343269736f6d"),
  },
  // ffmpeg's WebM muxer: the EBML header with DocType "webm".
  webm: {
    mediaType: "video",
    format: "webm",
    mime: "video/webm",
    name: "a.webm",
    bytes: hex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104"),
  },
};

// The same EBML header with DocType "matroska": an MKV, which is not allowed.
export const MKV = hex("1a45dfa3a3 4286810142f7810142f2810442f38108 428288 6d6174726f736b61");
// A phone's 3GP: major brand 3gp4, but compatible with isom as well.
export const THREE_GP = hex("0000001866747970 3367703400000200 69736f6d33677034");
export const PDF = new TextEncoder().encode("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");

/** A file that starts with these bytes and is padded to `size`, as a browser's file picker would hand it over. */
export function fileOf(bytes: Uint8Array<ArrayBuffer>, name: string, type: string, size = 2048): File {
  return new File([bytes, new Uint8Array(Math.max(0, size - bytes.length))], name, { type });
}
