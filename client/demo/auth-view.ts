// The demo's way in: a neutral placeholder until the sign-in mode is known, then the dev sign-in form (saying why,
// when a sign-in has ended) or the host-app explanation, and the account bar once someone is signed in.
import { byId, setText } from "./dom.js";
import { t } from "./i18n/index.js";
import { devSignIn, type Session, type SignInMode } from "./session.js";
import { problemMessage } from "./wording.js";

export interface AuthViewEvents {
  onSignedIn(session: Session): void;
  onSignOut(): void;
}

export interface AuthView {
  /** "pending" until the server has said how people sign in here (and whether a stored token still works). */
  show(mode: SignInMode | "pending", session: Session | null): void;
  /** Why the person is looking at the sign-in form; cleared by their next sign-in. */
  showReason(reason: string): void;
  focusSignIn(): void;
}

export function mountAuthView(baseUrl: string, events: AuthViewEvents): AuthView {
  const name = byId<HTMLInputElement>("sign-in-name");
  const error = byId("sign-in-error");
  const reason = byId("sign-in-reason");
  // A flag, not `disabled`: a disabled button drops its focus to <body>, and a failed sign-in should keep it.
  let signingIn = false;

  byId<HTMLFormElement>("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (signingIn) return;
    signingIn = true;
    setText(error, "");
    try {
      const session = await devSignIn(baseUrl, name.value.trim());
      setText(reason, "");
      events.onSignedIn(session);
    } catch (problem) {
      setText(error, problemMessage(problem));
    } finally {
      signingIn = false;
    }
  });
  byId("sign-out").addEventListener("click", () => events.onSignOut());

  return {
    show(mode, session) {
      const known = mode === "dev" || mode === "host";
      byId("account").hidden = !session;
      setText(byId("account-name"), session?.user.username ?? "");
      byId("auth-pending").hidden = known;
      setText(byId("auth-pending-text"), t(mode === "unreachable" ? "auth.unreachable" : "auth.pending"));
      byId("sign-in").hidden = mode !== "dev" || session !== null;
      byId("host-auth").hidden = mode !== "host" || session !== null;
    },
    showReason(text) {
      setText(reason, text);
    },
    focusSignIn() {
      name.focus();
    },
  };
}
