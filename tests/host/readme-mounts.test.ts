// The README's mounts ("Add the feed to an existing app") are copied from files the example tests run: each code
// block there names its file on its first line, and the rest of the block must appear in that file as it is.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.slice(
  readme.indexOf("## Add the feed to an existing app"),
  readme.indexOf("## Failure behaviour"),
);
const blocks = [...section.matchAll(/```(?:ts|js)\n\/\/ (\S+)\n([\s\S]*?)```/g)].map(([, path, code]) => ({
  path,
  code,
}));

describe("README: Add the feed to an existing app", () => {
  it("has a code block for each mount", () => {
    expect(blocks.map((block) => block.path)).toEqual([
      "examples/next-app/app/api/feed/[[...path]]/route.ts",
      "examples/express-socketio/server.js",
      "api/feed/index.ts",
    ]);
  });

  it.each(blocks)("shows $path as it is", ({ path, code }) => {
    expect(readFileSync(join(ROOT, path), "utf8")).toContain(code);
  });
});
