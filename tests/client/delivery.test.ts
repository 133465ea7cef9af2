// The delivery helpers turn a post's canonical Cloudinary URL into width-limited f_auto/q_auto URLs and posters.
import { describe, expect, it } from "vitest";
import { imageSources, placeholderSource, videoSources } from "../../client/feed-client.js";

const CLOUD = "https://res.cloudinary.com/demo";
const PHOTO = {
  mediaType: "image" as const,
  mediaUrl: `${CLOUD}/image/upload/v1712345678/feed/u0123456789abcdef/iAbC.jpg`,
};
const VIDEO = {
  mediaType: "video" as const,
  mediaUrl: `${CLOUD}/video/upload/v1712345678/feed/u0123456789abcdef/vAbC.mov`,
};
const at = (transformation: string, rest: string) =>
  `${CLOUD}/${transformation}/v1712345678/feed/u0123456789abcdef/${rest}`;

describe("imageSources", () => {
  it("offers four width-limited f_auto,q_auto copies, a middle one as src, and sizes for a feed card", () => {
    const image = (width: number) => at(`image/upload/f_auto,q_auto,c_limit,w_${width}`, "iAbC.jpg");
    expect(imageSources(PHOTO)).toEqual({
      src: image(640),
      srcset: [320, 640, 960, 1280].map((width) => `${image(width)} ${width}w`).join(", "),
      sizes: "(max-width: 640px) 100vw, 600px",
    });
  });

  it("takes the page's own widths (sorted, whole, once each) and sizes", () => {
    const sources = imageSources(PHOTO, { widths: [800, 400.4, 800, -1], sizes: "50vw" });
    expect(sources.srcset).toBe(
      `${at("image/upload/f_auto,q_auto,c_limit,w_400", "iAbC.jpg")} 400w, ` +
        `${at("image/upload/f_auto,q_auto,c_limit,w_800", "iAbC.jpg")} 800w`,
    );
    expect(sources.src).toBe(at("image/upload/f_auto,q_auto,c_limit,w_400", "iAbC.jpg"));
    expect(sources.sizes).toBe("50vw");
  });

  it("shows a HEIC original through f_auto, keeping its extension (f_auto picks the format sent)", () => {
    const heic = { ...PHOTO, mediaUrl: PHOTO.mediaUrl.replace(".jpg", ".heic") };
    expect(imageSources(heic).src).toBe(at("image/upload/f_auto,q_auto,c_limit,w_640", "iAbC.heic"));
  });

  it("gives a video post's first frame as stills, so an <img> never loads the video", () => {
    expect(imageSources(VIDEO, { widths: [320] }).srcset).toBe(
      `${at("video/upload/so_0,f_auto,q_auto,c_limit,w_320", "vAbC.jpg")} 320w`,
    );
  });
});

describe("videoSources", () => {
  it("caps the video at 1280 px through f_auto,q_auto, with its first frame as the poster", () => {
    expect(videoSources(VIDEO)).toEqual({
      src: at("video/upload/f_auto,q_auto,c_limit,w_1280", "vAbC.mov"),
      poster: at("video/upload/so_0,f_auto,q_auto,c_limit,w_1280", "vAbC.jpg"),
    });
  });

  it("takes another cap, and ignores one that is no width", () => {
    expect(videoSources(VIDEO, { maxWidth: 720 }).src).toBe(at("video/upload/f_auto,q_auto,c_limit,w_720", "vAbC.mov"));
    expect(videoSources(VIDEO, { maxWidth: Number.NaN }).src).toContain("c_limit,w_1280/");
  });
});

describe("URLs the helpers cannot transform", () => {
  it("return a URL that is not Cloudinary-shaped unchanged, as src alone", () => {
    const elsewhere = { mediaType: "image" as const, mediaUrl: "https://cdn.example.com/photos/iAbC.jpg" };
    expect(imageSources(elsewhere)).toEqual({ src: elsewhere.mediaUrl, srcset: "", sizes: "" });
    const clip = { mediaType: "video" as const, mediaUrl: "https://cdn.example.com/clips/vAbC.mp4" };
    expect(videoSources(clip)).toEqual({ src: clip.mediaUrl, poster: "" });
  });

  it("give no poster for a photo's URL", () => {
    expect(videoSources(PHOTO)).toEqual({ src: PHOTO.mediaUrl, poster: "" });
  });

  it("keep a query string after the path", () => {
    const signed = { ...PHOTO, mediaUrl: `${PHOTO.mediaUrl}?_a=BAMAROfk0` };
    expect(imageSources(signed, { widths: [320] }).src).toBe(
      `${at("image/upload/f_auto,q_auto,c_limit,w_320", "iAbC.jpg")}?_a=BAMAROfk0`,
    );
  });
});

describe("the dev server's local media URLs", () => {
  const LOCAL = "http://localhost:3000/_cloudinary/local";

  it("get the same transformation segment, which the local stand-in understands", () => {
    const local = { mediaType: "video" as const, mediaUrl: `${LOCAL}/video/upload/v1795694400/feed/u1/vAbC.mp4` };
    expect(videoSources(local)).toEqual({
      src: `${LOCAL}/video/upload/f_auto,q_auto,c_limit,w_1280/v1795694400/feed/u1/vAbC.mp4`,
      poster: `${LOCAL}/video/upload/so_0,f_auto,q_auto,c_limit,w_1280/v1795694400/feed/u1/vAbC.jpg`,
    });
    const photo = { mediaType: "image" as const, mediaUrl: `${LOCAL}/image/upload/v1795694400/feed/u1/iAbC.png` };
    expect(imageSources(photo, { widths: [640] }).src).toBe(
      `${LOCAL}/image/upload/f_auto,q_auto,c_limit,w_640/v1795694400/feed/u1/iAbC.png`,
    );
  });
});

describe("placeholderSource", () => {
  it("is a 32 px blurred low-quality copy, of the first frame for a video, and empty off Cloudinary", () => {
    const tiny = "e_blur:400,f_auto,q_auto:low,c_limit,w_32";
    expect(placeholderSource(PHOTO)).toBe(at(`image/upload/${tiny}`, "iAbC.jpg"));
    expect(placeholderSource(VIDEO)).toBe(at(`video/upload/so_0,${tiny}`, "vAbC.jpg"));
    expect(placeholderSource({ mediaType: "image", mediaUrl: "https://elsewhere.test/a.jpg" })).toBe("");
  });
});
