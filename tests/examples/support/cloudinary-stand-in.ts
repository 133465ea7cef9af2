// The dev server's local Cloudinary stand-in (scripts/local-cloudinary.ts) on a port of its own, so a host app
// signs real uploads that a real multipart POST stores, with no account and no network.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import type { MediaConfig } from "../../../lib/env.js";
import { createLocalCloudinary } from "../../../scripts/local-cloudinary.js";

export interface CloudinaryStandIn {
  /** CLOUDINARY_URL for the host: this account, with uploads sent to the stand-in (`upload_prefix`). */
  cloudinaryUrl: string;
  close(): Promise<void>;
}

const ACCOUNT = { cloudName: "local", apiKey: "local-key", apiSecret: "local-stand-in-secret" };

export async function startCloudinaryStandIn(): Promise<CloudinaryStandIn> {
  const directory = mkdtempSync(join(tmpdir(), "feed-media-"));
  let answer: ((request: Request) => Promise<Response | undefined>) | undefined;
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve) => {
    const server = serve(
      {
        fetch: async (request) => (await answer?.(request)) ?? new Response("Not found", { status: 404 }),
        port: 0,
        hostname: "127.0.0.1",
      },
      (info) => resolve({ server, port: info.port }),
    );
  });
  const base = `http://127.0.0.1:${port}/_cloudinary`;
  const media: MediaConfig = { ...ACCOUNT, apiBase: base, deliveryBase: base, folder: "feed", account: "local" };
  answer = createLocalCloudinary(media, directory);
  const { cloudName, apiKey, apiSecret } = ACCOUNT;
  return {
    cloudinaryUrl: `cloudinary://${apiKey}:${apiSecret}@${cloudName}?upload_prefix=${encodeURIComponent(base)}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
