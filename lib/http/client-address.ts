// The caller's address, for per-address limits and audit lines: taken from proxy headers only behind a trusted proxy.
import { isIPv4, isIPv6 } from "node:net";

/** Every caller whose address cannot be known shares this one key. */
export const UNKNOWN_ADDRESS = "unknown";

/**
 * Which forwarding headers hold the caller's address: Vercel's own, the last `hops` X-Forwarded-For entries that
 * trusted proxies appended (TRUST_PROXY), or none, where every header is the caller's own words.
 */
export type ProxyTrust = { kind: "none" } | { kind: "vercel" } | { kind: "forwarded"; hops: number };

/**
 * The caller's address, an IPv6 one cut to its /64. A Web `Request` carries no socket address, so the forwarding
 * headers are all there is, and only the parts a trusted proxy wrote count: anything else a caller could rotate to
 * buy fresh quota or to forge an audit line, so without a trusted proxy the address is unknown rather than spoofable.
 */
export function clientAddress(request: Request, proxy: ProxyTrust): string {
  const reported =
    proxy.kind === "vercel"
      ? vercelAddress(request)
      : proxy.kind === "forwarded"
        ? forwardedHop(request, proxy.hops)
        : undefined;
  return reported === undefined ? UNKNOWN_ADDRESS : normaliseAddress(reported);
}

/**
 * Vercel documents X-Forwarded-For as "the public IP address of the client", overwritten by its edge "to prevent IP
 * spoofing", and X-Vercel-Forwarded-For as the same value, which a proxy in front of Vercel cannot overwrite
 * (https://vercel.com/docs/headers/request-headers). X-Real-IP is never read: elsewhere callers can send it.
 */
function vercelAddress(request: Request): string | undefined {
  const header = request.headers.get("x-vercel-forwarded-for") ?? request.headers.get("x-forwarded-for");
  return header === null ? undefined : forwardedEntries(header).at(-1);
}

/**
 * The entry `hops` from the right: each trusted proxy appends the address it was called from, so that entry is the
 * one the outermost trusted proxy saw, and everything left of it is whatever the caller sent. With fewer entries
 * than hops a proxy did not append one, and no entry can be trusted.
 */
function forwardedHop(request: Request, hops: number): string | undefined {
  const entries = forwardedEntries(request.headers.get("x-forwarded-for") ?? "");
  return entries.length < hops ? undefined : entries[entries.length - hops];
}

/** The comma-separated entries of every X-Forwarded-For line (Headers joins repeated lines with ", "). */
function forwardedEntries(header: string): string[] {
  return header
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * IPv4 as it is; IPv6 as its /64 (one subscriber usually holds a whole /64, so finer keys would let a single host
 * rotate past a limit); an IPv4-mapped IPv6 address as the IPv4 it is; anything else (never echoed) as unknown.
 */
export function normaliseAddress(raw: string): string {
  const host = withoutPort(raw);
  if (isIPv4(host)) return host;
  if (!isIPv6(host)) return UNKNOWN_ADDRESS;
  const hextets = expandIPv6(host.split("%")[0]);
  const mappedIPv4 = hextets.slice(0, 5).every((hextet) => hextet === 0) && hextets[5] === 0xffff;
  if (mappedIPv4) return [hextets[6] >> 8, hextets[6] & 0xff, hextets[7] >> 8, hextets[7] & 0xff].join(".");
  return `${hextets
    .slice(0, 4)
    .map((hextet) => hextet.toString(16))
    .join(":")}::/64`;
}

/** `[v6]:port`, `[v6]` and `v4:port` as proxies may write them; a bare IPv6 address keeps all its colons. */
function withoutPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1];
  return /^[\d.]+:\d+$/.test(address) ? address.slice(0, address.lastIndexOf(":")) : address;
}

/** The eight 16-bit groups of a valid IPv6 address, with `::` filled in and a dotted IPv4 tail turned into two. */
function expandIPv6(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const gap = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...gap, ...right].map((hextet) => Number.parseInt(hextet, 16));
}
