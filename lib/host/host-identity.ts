// A host app's own way of knowing the user (its session, its cookie), held to the same rules as a token's claims.
import { type Identity, identityFrom, unauthorized } from "../auth.js";

/** The host's user for this request, or null/undefined when nobody is signed in (a 401). */
export type IdentifyUser = (request: Request) => Promise<HostUser | null | undefined> | HostUser | null | undefined;

export interface HostUser {
  userId: string;
  username?: string;
}

/**
 * The feed's identify from the host's: its `userId` must be what a token's `sub` may be (1-256 characters, no
 * controls), and its name is cleaned as a token's would be, so ids and names reach keys, folders and pages one way.
 */
export function hostIdentity(identify: IdentifyUser): (request: Request) => Promise<Identity> {
  return async (request) => {
    const user = await identify(request);
    if (!user) throw unauthorized("Sign in to do this.");
    return identityFrom({ sub: user.userId, username: user.username });
  };
}
