// The demo's sign-in: the dev server's name-only sign-in when no real auth is configured; one session per tab.
import { errorFromResponse, networkError } from "./feed-errors.js";

export interface Session {
  token: string;
  user: { userId: string; username: string };
}

const STORAGE_KEY = "feed-demo-session";

/** True only where the dev server offers its sign-in; deployments with real auth (or no dev server) do not. */
export async function devSignInAvailable(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/api/dev/sign-in`, { cache: "no-store" });
    if (!response.ok) return false;
    const body = (await response.json()) as { enabled?: unknown };
    return body.enabled === true;
  } catch {
    return false;
  }
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
