// The dev server's Cloudinary stand-in, called with real Requests: signed uploads, transformation URLs, posters, ranges.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { v2 as cloudinary } from "cloudinary";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMediaSigner } from "../../lib/cloudinary/upload-signer.js";
import type { MediaConfig } from "../../lib/env.js";
import type { MediaType } from "../../lib/schemas.js";
import { createLocalCloudinary } from "../../scripts/local-cloudinary.js";
import { parseRange } from "../../scripts/local-cloudinary-delivery.js";
import { fileOf, PREFIXES } from "../support/media-prefixes.js";

const BASE = "http://localhost:3000/_cloudinary";
const MEDIA: MediaConfig = {
  cloudName: "local",
  apiKey: "local-key",
  apiSecret: "local-secret",
  apiBase: BASE,
  deliveryBase: BASE,
  folder: "feed",
  account: "local",
};
const signer = createMediaSigner(MEDIA);
let directory: string;
let handle: ReturnType<typeof createLocalCloudinary>;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "local-cloudinary-"));
  handle = createLocalCloudinary(MEDIA, directory);
});
afterAll(() => rm(directory, { recursive: true, force: true }));

async function call(url: string, init?: RequestInit): Promise<Response> {
  const response = await handle(new Request(url, init));
  if (!response) throw new Error(`the stand-in did not answer ${url}`);
  return response;
}

/** Uploads with fields signed by the real server code; `change` tampers with them first. */
async function upload(
  mediaType: MediaType,
  file: File,
  postId: string,
  change: Record<string, string | undefined> = {},
) {
  const { uploadUrl, fields } = signer.signUpload({ userId: "ada", mediaType, postId, nowMs: Date.now() });
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...fields, ...change }))
    if (value !== undefined) form.append(name, value);
  form.append("file", file);
  return call(uploadUrl, { method: "POST", body: form });
}

const VIDEO_BYTES = fileOf(PREFIXES.mp4.bytes, "clip.mp4", "video/mp4", 1000);

describe("uploads signed with the incoming transformation", () => {
  it("verifies them exactly as Cloudinary does, and refuses a changed or dropped transformation", async () => {
    const photo = fileOf(PREFIXES.png.bytes, "sunset.png", "image/png");
    const stored = await upload("image", photo, "Signed0001");
    expect(stored.status).toBe(200);
    expect((await stored.json()).secure_url).toMatch(
      /\/local\/image\/upload\/v\d+\/feed\/u[0-9a-f]{16}\/iSigned0001\.png$/,
    );

    const enlarged = await upload("image", photo, "Signed0002", { transformation: "c_limit,w_9000,h_9000" });
    expect([enlarged.status, (await enlarged.json()).error.message]).toEqual([401, "Invalid Signature"]);
    const dropped = await upload("image", photo, "Signed0003", { transformation: undefined });
    expect(dropped.status).toBe(401);
  });

  it("refuses a transformation Cloudinary could not parse, even when it is signed", async () => {
    const params = { public_id: "feed/u1/iBadTransform1", timestamp: String(Math.floor(Date.now() / 1000)) };
    const transformation = "make it small";
    const signature = cloudinary.utils.api_sign_request({ ...params, transformation }, MEDIA.apiSecret);
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...params, transformation, signature, api_key: MEDIA.apiKey })) {
      form.append(name, value);
    }
    form.append("file", fileOf(PREFIXES.png.bytes, "a.png", "image/png"));
    const refused = await call(`${BASE}/v1_1/local/image/upload`, { method: "POST", body: form });
    expect([refused.status, (await refused.json()).error.message]).toEqual([
      400,
      "Invalid transformation component - make it small",
    ]);
  });
});

describe("delivery URLs", () => {
  let photoUrl: string;
  let videoUrl: string;
  beforeAll(async () => {
    photoUrl = (
      await (await upload("image", fileOf(PREFIXES.png.bytes, "a.png", "image/png", 300), "Deliver001")).json()
    ).secure_url;
    videoUrl = (await (await upload("video", VIDEO_BYTES, "Deliver002")).json()).secure_url;
  });
  const withSegment = (url: string, segment: string) => url.replace("/upload/", `/upload/${segment}/`);

  it("serves the stored original for any transformation segment, chained or not", async () => {
    // The page's blurred placeholder (e_blur:400 has a colon) is one of them: the stand-in serves it unblurred.
    const segments = [
      "f_auto,q_auto,c_limit,w_640",
      "c_limit,w_2560,h_2560/f_auto,q_auto",
      "e_blur:400,f_auto,q_auto:low,c_limit,w_32",
    ];
    for (const segment of segments) {
      const response = await call(withSegment(photoUrl, segment));
      expect([response.status, response.headers.get("Content-Type")]).toEqual([200, "image/png"]);
      expect((await response.arrayBuffer()).byteLength).toBe(300);
    }
    expect((await call(withSegment(photoUrl, "f_auto").replace("iDeliver001", "iMissing001"))).status).toBe(404);
  });

  it("answers a video's poster (so_0, .jpg) with a placeholder image, not the video's bytes", async () => {
    const poster = await call(withSegment(videoUrl, "so_0,f_auto,q_auto,c_limit,w_1280").replace(/\.mp4$/, ".jpg"));
    expect([poster.status, poster.headers.get("Content-Type")]).toEqual([200, "image/svg+xml"]);
    expect(await poster.text()).toMatch(/^<svg [^>]*viewBox="0 0 1280 720"/);
    const placeholder = withSegment(videoUrl, "so_0,e_blur:400,f_auto,q_auto:low,c_limit,w_32").replace(
      /\.mp4$/,
      ".jpg",
    );
    expect((await call(placeholder)).headers.get("Content-Type")).toBe("image/svg+xml");
    const video = await call(withSegment(videoUrl, "f_auto,q_auto,c_limit,w_1280"));
    expect([video.headers.get("Content-Type"), video.headers.get("Accept-Ranges")]).toEqual(["video/mp4", "bytes"]);
  });

  it("answers byte ranges with 206 and Content-Range, and an unsatisfiable one with 416", async () => {
    const ranged = (range: string) => call(videoUrl, { headers: { Range: range } });
    const first = await ranged("bytes=0-99");
    expect([first.status, first.headers.get("Content-Range"), first.headers.get("Content-Length")]).toEqual([
      206,
      "bytes 0-99/1000",
      "100",
    ]);
    expect(new Uint8Array(await first.arrayBuffer()).subarray(0, 8)).toEqual(PREFIXES.mp4.bytes.subarray(0, 8));
    expect((await ranged("bytes=990-")).headers.get("Content-Range")).toBe("bytes 990-999/1000");
    expect((await ranged("bytes=-10")).headers.get("Content-Range")).toBe("bytes 990-999/1000");
    const past = await ranged("bytes=1000-");
    expect([past.status, past.headers.get("Content-Range")]).toEqual([416, "bytes */1000"]);
    const whole = await call(videoUrl, { method: "HEAD" });
    expect([whole.status, whole.headers.get("Content-Length"), await whole.text()]).toEqual([200, "1000", ""]);
  });
});

describe("parseRange", () => {
  it.each([
    ["bytes=0-0", [0, 0]],
    ["bytes=5-5000", [5, 999]],
    ["bytes=-5000", [0, 999]],
    ["bytes=-0", "unsatisfiable"],
    ["bytes=1000-1001", "unsatisfiable"],
    ["bytes=9-3", undefined],
    ["bytes=0-1,5-6", undefined],
    ["items=0-1", undefined],
    [null, undefined],
  ] as const)("reads %s of 1000 bytes as %j", (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });
});
