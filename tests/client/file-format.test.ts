// The browser client recognises uploads by their first bytes and refuses the wrong ones before any request.
import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { allowedFormatsText } from "../../client/feed-client.js";
import { sniffFormat } from "../../client/file-format.js";
import { ALLOWED_FORMATS } from "../../lib/content-limits.js";
import { API, clientFor, rejection, useClientServer } from "../support/feed-client-fixtures.js";
import { fileOf, MKV, PDF, PREFIXES, THREE_GP } from "../support/media-prefixes.js";

const server = useClientServer();
// Any request would also fail the test as unplanned; counting them makes "before any request" an explicit claim.
let requests = 0;
server.events.on("request:start", () => {
  requests += 1;
});
beforeEach(() => {
  requests = 0;
});

const ALLOWED_TEXT = "Photos: JPEG, PNG, GIF, WebP, AVIF or HEIC. Videos: MP4, WebM, MOV or M4V.";

describe("recognising formats by their bytes", () => {
  it.each(Object.entries(PREFIXES))("recognises %s from a real file's first bytes", async (_, prefix) => {
    expect(sniffFormat(prefix.bytes)).toEqual({ mediaType: prefix.mediaType, format: prefix.format });
    const file = fileOf(prefix.bytes, prefix.name, prefix.mime);
    await expect(clientFor().verifyFile(file)).resolves.toBe(prefix.mediaType);
  });

  it("knows every allowed format (jpeg is jpg's other name), so the list lives in one place", () => {
    const recognised = new Set(Object.values(PREFIXES).map((prefix) => prefix.format));
    const allowed = [...ALLOWED_FORMATS.image, ...ALLOWED_FORMATS.video].filter((format) => format !== "jpeg");
    expect([...recognised].sort()).toEqual(allowed.sort());
  });

  it("tells AVIF from HEIC although both list the generic HEIF brand mif1", () => {
    const mif1First = Uint8Array.from([...PREFIXES.avif.bytes.subarray(0, 8), ...Buffer.from("mif1\0\0\0\0avif")]);
    expect(sniffFormat(mif1First)?.format).toBe("avif");
    const genericHeif = Uint8Array.from([...PREFIXES.heic.bytes.subarray(0, 8), ...Buffer.from("mif1\0\0\0\0mif1")]);
    expect(sniffFormat(genericHeif)?.format).toBe("heic");
  });

  it("shows the allowed formats for people, per media type or both", () => {
    expect(allowedFormatsText("image")).toBe("JPEG, PNG, GIF, WebP, AVIF or HEIC");
    expect(allowedFormatsText("video")).toBe("MP4, WebM, MOV or M4V");
    expect(allowedFormatsText()).toBe(ALLOWED_TEXT);
  });
});

describe("refusing before any request", () => {
  it("refuses bytes that are no allowed format, saying what they are and what is allowed", async () => {
    const renamedPdf = fileOf(PDF, "scan.png", "image/png");
    const error = await rejection(clientFor().post(renamedPdf, "hi"));
    expect([error.code, error.message]).toEqual([
      "unsupported_file",
      `This file says it is image/png, but its contents are a PDF document, which can't be posted. ${ALLOWED_TEXT}`,
    ]);
    expect(requests).toBe(0);
  });

  it("refuses unknown bytes, Matroska although it shares WebM's header, and 3GP although it lists isom", async () => {
    const zeros = fileOf(new Uint8Array(32), "photo.jpg", "image/jpeg");
    expect((await rejection(clientFor().post(zeros))).message).toBe(
      `This file says it is image/jpeg, but its contents are not a photo or video format we accept. ${ALLOWED_TEXT}`,
    );
    const mkv = fileOf(MKV, "clip.webm", "video/webm");
    expect((await rejection(clientFor().post(mkv))).message).toContain("a Matroska (MKV) video, which can't be posted");
    const threeGp = fileOf(THREE_GP, "clip.3gp", "video/3gpp");
    expect((await rejection(clientFor().post(threeGp))).message).toContain("a 3GP video, which can't be posted");
    expect(requests).toBe(0);
  });

  it("refuses a photo labelled as a video and a video labelled as a photo", async () => {
    const photoAsVideo = fileOf(PREFIXES.jpeg.bytes, "holiday.mp4", "video/mp4");
    const first = await rejection(clientFor().post(photoAsVideo));
    expect([first.code, first.message]).toEqual([
      "unsupported_file",
      "This file says it is video/mp4, but it contains a photo (JPEG). Rename it to .jpg or choose another file.",
    ]);
    const videoAsPhoto = fileOf(PREFIXES.mov.bytes, "IMG_0002.jpg", "image/jpeg");
    expect((await rejection(clientFor().verifyFile(videoAsPhoto))).message).toBe(
      "This file says it is image/jpeg, but it contains a video (MOV). Rename it to .mov or choose another file.",
    );
    expect(requests).toBe(0);
  });

  it("keeps the plain refusals: a non-media type, an empty file, and size judged by what the bytes are", async () => {
    const pdf = fileOf(PDF, "cv.pdf", "application/pdf");
    expect((await rejection(clientFor().verifyFile(pdf))).message).toBe(
      "Choose a photo or a video (this file is application/pdf).",
    );
    const empty = new File([], "empty.png", { type: "image/png" });
    expect((await rejection(clientFor().verifyFile(empty))).code).toBe("empty_file");
    const bigHeic = fileOf(PREFIXES.heic.bytes, "IMG.HEIC", "", 10 * 1024 * 1024 + 1);
    expect((await rejection(clientFor().verifyFile(bigHeic))).message).toBe(
      "This photo is 10.1 MB; the limit is 10 MB.",
    );
    expect(requests).toBe(0);
  });
});

describe("trusting the bytes when the browser does not know the type", () => {
  it("posts an iPhone HEIC that the browser typed as nothing, signed as a photo", async () => {
    const signed: unknown[] = [];
    server.use(
      http.post(`${API}/api/feed/upload-signature`, async ({ request }) => {
        signed.push(await request.json());
        return HttpResponse.json({ error: { code: "rate_limited", message: "Slow down." } }, { status: 429 });
      }),
    );
    const heic = fileOf(PREFIXES.heic.bytes, "IMG_0001.HEIC", "");
    expect(await clientFor().verifyFile(heic)).toBe("image");
    expect((await rejection(clientFor().post(heic))).code).toBe("rate_limited");
    expect(signed).toEqual([{ mediaType: "image" }]);
    expect(requests).toBe(1);
  });
});
