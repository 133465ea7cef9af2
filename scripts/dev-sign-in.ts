// The dev server's name-only sign-in: on offline, never with real auth, and off by default against real services.
import { nanoid } from "nanoid";
import { z } from "zod";
import { getApp } from "../lib/app.js";
import { bearerToken, createTokenVerifier, issueDevToken } from "../lib/auth.js";
import { cleanUsername } from "../lib/display-name.js";
import type { Config } from "../lib/env.js";
import { errorJson } from "../lib/http/error-response.js";
import { json, readJson } from "../lib/http/json.js";
import { type Handler, routeHandler } from "../lib/http/route.js";

export const DEV_SIGN_IN_PATH = "/api/dev/sign-in";

// The same cleaning as a token's name claim, so the user the sign-in answers with is the one the token names.
const SignInRequestSchema = z.object({
  name: z.string().transform(cleanUsername).pipe(z.string().min(1, "enter a name")),
});

export interface DevSignIn {
  /** Answers DEV_SIGN_IN_PATH; absent when the route is off, so the path is a 404 like any unknown one. */
  handler?: Handler;
  /** One line for the console: why the sign-in is off and how to turn it on. */
  notice?: string;
}

type SignInConfig = Pick<Config, "auth" | "redis" | "media" | "devSignIn">;

export function createDevSignIn(config: SignInConfig): DevSignIn {
  const { auth } = config;
  // Real auth: tokens come from the host app, and a dev token would not verify anyway.
  if (auth.kind !== "dev") return { handler: async () => errorJson("not_found", "Sign in through the host app.") };
  const refusal = refusalOf(config);
  if (refusal) return { notice: refusal };
  const verify = createTokenVerifier(auth);
  return {
    handler: routeHandler(getApp, {
      // With a token, also says whether it still verifies: a restart makes a new secret, and the page checks on load.
      async GET(request) {
        const token = bearerToken(request);
        if (!token) return json({ enabled: true });
        const tokenValid = await verify(token).then(
          () => true,
          () => false,
        );
        return json({ enabled: true, tokenValid });
      },
      async POST(request) {
        const { name } = await readJson(request, SignInRequestSchema);
        const user = { userId: `dev-${nanoid(10)}`, username: name };
        return json({ token: await issueDevToken(auth.secret, user), user });
      },
    }),
  };
}

/**
 * Why the sign-in must stay off, if it must. Against real Redis and real Cloudinary it would let anyone who reaches
 * this server post to them as anyone, so it takes an explicit DEV_SIGN_IN=true there.
 */
function refusalOf(config: SignInConfig): string | undefined {
  if (config.devSignIn === false) return "Dev sign-in is off (DEV_SIGN_IN=false); set DEV_SIGN_IN=true to enable it.";
  const realServices = config.redis.kind !== "memory" && config.media.account === "cloudinary";
  if (!realServices || config.devSignIn === true) return undefined;
  return (
    "Dev sign-in is off: this server uses real Redis and real Cloudinary, where it would let anyone post as anyone. " +
    "Set DEV_SIGN_IN=true to enable it anyway."
  );
}
