// The demo's sign-in: the dev server's name-only sign-in when no real auth is configured; one session per tab.
import { errorFromResponse, networkError } from "../feed-client.js";

export interface Session {
  token: string;
  user: { userId: string; username: string };
}

/** How people sign in here: the dev server's form, or the host app's tokens; "unreachable" until the server answers. */
export type SignInMode = "dev" | "host" | "unreachable";

export interface SignInCheck {
  mode: SignInMode;
  /** Whether the dev server still accepts the stored token; absent when no token was sent or it cannot tell. */
  tokenValid?: boolean;
}

const STORAGE_KEY = "feed-demo-session";
const DRAFT_KEY = "feed-demo-draft";

/**
 * One request answers both questions the page has on load: is the dev sign-in offered, and does the stored token
 * still verify (a restarted dev server signs with a new secret, so an old token is refused).
 */
export async function checkSignIn(baseUrl: string, token?: string): Promise<SignInCheck> {
  let response: Response;
  try {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    response = await fetch(`${baseUrl}/api/dev/sign-in`, { cache: "no-store", headers });
  } catch {
    return { mode: "unreachable" };
  }
  // A server in trouble says nothing about how to sign in; a 404 means this deployment has no dev sign-in.
  if (response.status >= 500) return { mode: "unreachable" };
  if (!response.ok) return { mode: "host" };
  const body = (await response.json().catch(() => ({}))) as { enabled?: unknown; tokenValid?: unknown };
  if (body.enabled !== true) return { mode: "host" };
  return typeof body.tokenValid === "boolean" ? { mode: "dev", tokenValid: body.tokenValid } : { mode: "dev" };
}

export async function devSignIn(baseUrl: string, name: string): Promise<Session> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/api/dev/sign-in`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    });
  } catch {
    throw networkError();
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as Session;
}

// sessionStorage, not localStorage: each tab is its own person, so two tabs can try the feed as two people.
export function loadSession(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null") as Session | null;
    return typeof session?.token === "string" && typeof session.user?.userId === "string" ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** The caption being written, kept per tab so a reload or an expired sign-in does not lose it (a File cannot be). */
export function loadDraft(): string {
  try {
    return sessionStorage.getItem(DRAFT_KEY) ?? "";
  } catch {
    return "";
  }
}

export function saveDraft(caption: string): void {
  try {
    if (caption) sessionStorage.setItem(DRAFT_KEY, caption);
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // Storage full or blocked: the draft still lives in the form, only a reload would lose it.
  }
}
