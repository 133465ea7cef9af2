// The demo page is written as a user of the SDK would write it: whatever it takes from outside client/demo/ comes
// through the SDK's public entry (the package's `./client`), so the entry is proven to export what a page needs.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const DEMO = join(ROOT, "client/demo");
const SDK_ENTRY = "client/feed-client.ts";

const sources = readdirSync(DEMO, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));

/** Every module a file imports or re-exports, statically or dynamically, as a path from the repository's root. */
function importsOf(file: string): string[] {
  const code = readFileSync(join(DEMO, file), "utf8");
  const specifiers = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)"([^"]+)"/g)].map(([, specifier]) => specifier);
  return specifiers
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => relative(ROOT, resolve(dirname(join(DEMO, file)), specifier)).replace(/\.js$/, ".ts"));
}

describe("the demo page", () => {
  it("has sources to check", () => {
    expect(sources).toContain("page.ts");
  });

  it.each(sources)("%s imports nothing outside client/demo/ but the SDK's public entry", (file) => {
    const outside = importsOf(file).filter((path) => !path.startsWith("client/demo/"));
    expect(outside.filter((path) => path !== SDK_ENTRY)).toEqual([]);
  });
});
