// Recognises the allowed photo and video formats by their first bytes, and names them for people.
import { ALLOWED_FORMATS } from "../lib/content-limits.js";
import type { MediaType } from "../lib/schemas.js";

/** Enough for every signature below, including an ISO BMFF `ftyp` box's first compatible brands. */
export const SNIFF_BYTES = 32;

export type AllowedFormat = (typeof ALLOWED_FORMATS)[MediaType][number];

export interface SniffedFormat {
  mediaType: MediaType;
  /** Cloudinary's name for the format, as in ALLOWED_FORMATS. */
  format: AllowedFormat;
}

// What people call each format; jpeg is the same format as jpg, so it shares its name.
const FORMAT_NAMES: Record<AllowedFormat, string> = {
  jpg: "JPEG",
  jpeg: "JPEG",
  png: "PNG",
  gif: "GIF",
  webp: "WebP",
  avif: "AVIF",
  heic: "HEIC",
  mp4: "MP4",
  webm: "WebM",
  mov: "MOV",
  m4v: "M4V",
};

// ISO BMFF (MP4, QuickTime, HEIF, AVIF) names its flavour in four-letter brands in the `ftyp` box. mif1/msf1 are the
// generic HEIF brands, which AVIF files also list, so they only mean HEIC when no more specific brand is present.
const BRANDS = new Map<string, SniffedFormat>([
  ...brandsOf("image", "avif", ["avif", "avis"]),
  ...brandsOf("image", "heic", ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"]),
  ...brandsOf("video", "mp4", ["isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash"]),
  ...brandsOf("video", "m4v", ["M4V ", "M4VH", "M4VP"]),
  ...brandsOf("video", "mov", ["qt  "]),
]);
const GENERIC_HEIF_BRANDS = ["mif1", "msf1"];
// 3GP and iTunes audio list isom or mp42 too, yet Cloudinary names them 3gp and m4a, which are not allowed.
const OTHER_MAJOR_BRAND = /^(3g|M4[ABP] )/;
// QuickTime files from before `ftyp` existed open straight with one of these atoms.
const QUICKTIME_ATOMS = ["moov", "mdat", "wide"];

function brandsOf(mediaType: MediaType, format: AllowedFormat, brands: string[]): [string, SniffedFormat][] {
  return brands.map((brand) => [brand, { mediaType, format }]);
}

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, end));

const startsWith = (bytes: Uint8Array, signature: number[]): boolean =>
  signature.every((byte, index) => bytes[index] === byte);

/** The allowed format these leading bytes belong to, or undefined when they match none of them. */
export function sniffFormat(bytes: Uint8Array): SniffedFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mediaType: "image", format: "jpg" };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mediaType: "image", format: "png" };
  if (/^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return { mediaType: "image", format: "gif" };
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return { mediaType: "image", format: "webp" };
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return webmOrNothing(bytes);
  if (ascii(bytes, 4, 8) === "ftyp") return isoBmffFormat(bytes);
  if (QUICKTIME_ATOMS.includes(ascii(bytes, 4, 8))) return { mediaType: "video", format: "mov" };
  return undefined;
}

/** EBML is shared by WebM and Matroska; only WebM is allowed, and its DocType says which it is. */
function webmOrNothing(bytes: Uint8Array): SniffedFormat | undefined {
  return ascii(bytes, 0, bytes.length).includes("matroska") ? undefined : { mediaType: "video", format: "webm" };
}

/** Reads the major brand, then the compatible brands that fit in the bytes read (the box may be longer). */
function isoBmffFormat(bytes: Uint8Array): SniffedFormat | undefined {
  const boxSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const brands = [ascii(bytes, 8, 12)];
  if (OTHER_MAJOR_BRAND.test(brands[0])) return undefined;
  for (let at = 16; at + 4 <= Math.min(boxSize, bytes.length); at += 4) brands.push(ascii(bytes, at, at + 4));
  const specific = brands.map((brand) => BRANDS.get(brand)).find(Boolean);
  if (specific) return specific;
  return brands.some((brand) => GENERIC_HEIF_BRANDS.includes(brand))
    ? { mediaType: "image", format: "heic" }
    : undefined;
}

// Formats people often pick by mistake, named so a refusal can say what the file is rather than only what it is not.
// Each has its English description and its format's name, which reads the same in every language.
const OTHER_FORMATS: [RegExp, string, string][] = [
  [/^%PDF-/, "a PDF document", "PDF"],
  [/^PK\x03\x04/, "a ZIP archive (or an Office document)", "ZIP"],
  [/^BM/, "a BMP image", "BMP"],
  [/^(II\*\x00|MM\x00\*)/, "a TIFF image", "TIFF"],
  [/^[\s\S]{4}ftyp3g/, "a 3GP video", "3GP"],
  [/^[\s\S]{4}ftypM4[ABP] /, "an M4A audio file", "M4A"],
  [/matroska/, "a Matroska (MKV) video", "MKV"],
  [/^\s*<(\?xml|svg)/i, "an SVG or other XML file", "SVG/XML"],
];

/** What an unsupported file is, when its bytes say so ("a PDF document"), for the refusal message. */
export function describeOtherFormat(bytes: Uint8Array): { description: string; name: string } | undefined {
  const text = ascii(bytes, 0, bytes.length);
  const found = OTHER_FORMATS.find(([signature]) => signature.test(text));
  return found && { description: found[1], name: found[2] };
}

/** "JPEG", "MOV": what people call a format. */
export const formatName = (format: AllowedFormat): string => FORMAT_NAMES[format];

/** The allowed formats' names, each once: ["JPEG", "PNG", …], for a page to list in its own language. */
export const allowedFormatNames = (mediaType: MediaType): string[] => [
  ...new Set(ALLOWED_FORMATS[mediaType].map(formatName)),
];

/** The allowed formats for people, e.g. to show under the file picker: "JPEG, PNG, GIF, WebP, AVIF or HEIC". */
export function allowedFormatsText(mediaType?: MediaType): string {
  if (!mediaType) return `Photos: ${allowedFormatsText("image")}. Videos: ${allowedFormatsText("video")}.`;
  const names = allowedFormatNames(mediaType);
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}
