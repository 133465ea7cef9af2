// Wraps a store once: every operation is bounded in time, and any Redis failure becomes a 503 (ServiceUnavailableError).
import { ConfigError, ServiceUnavailableError } from "../errors.js";

// A plain client pointed at a Redis Cluster node is redirected on the first key outside that node's slots.
const CLUSTER_REDIRECT = /^(MOVED|ASK) \d+ /;

export const REDIS_CLUSTER_HINT =
  "REDIS_URL points at a Redis Cluster node: set REDIS_CLUSTER=true so the feed uses a cluster client";

export interface GuardOptions {
  /** Whole-operation limit. Each command is bounded too; this also covers time spent queued for a connection. */
  timeoutMs: number;
  /** A configuration error found after start-up (a cluster node behind a plain client), reported on every call. */
  misconfigured?: () => ConfigError | undefined;
}

/**
 * The same store, with every method bounded and its failures mapped; ConfigErrors pass through as they are. The
 * wrappers are made once, on an object whose prototype is the store (its other properties read through): a Proxy
 * made a new wrapper at every call.
 */
export function guardStore<T extends object>(store: T, options: GuardOptions): T {
  const guardedStore = Object.create(store) as Record<string, unknown>;
  for (const name of methodNames(store)) {
    const method = (store as Record<string, (...args: unknown[]) => Promise<unknown>>)[name];
    guardedStore[name] = (...args: unknown[]) => guarded(() => method.apply(store, args), options);
  }
  return guardedStore as T;
}

/** The store's methods: its own and its classes', up to Object's. */
function methodNames(store: object): Set<string> {
  const names = new Set<string>();
  for (let level = store; level !== Object.prototype && level !== null; level = Object.getPrototypeOf(level)) {
    for (const name of Object.getOwnPropertyNames(level)) {
      if (name !== "constructor" && typeof (store as Record<string, unknown>)[name] === "function") names.add(name);
    }
  }
  return names;
}

/**
 * `operation`, or a 503 once `ms` have passed: for work made of several store calls (a page read that rebuilds the
 * index), each bounded on its own, that must also be bounded as a whole.
 */
export function withinMs<T>(ms: number, operation: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ServiceUnavailableError("redis", { cause: new Error(`no answer within ${ms} ms`) })),
      ms,
    );
    operation.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function guarded<T>(operation: () => Promise<T>, options: GuardOptions): Promise<T> {
  const before = options.misconfigured?.();
  if (before) throw before;
  try {
    return await withinMs(options.timeoutMs, operation());
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ServiceUnavailableError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (CLUSTER_REDIRECT.test(message)) throw new ConfigError([REDIS_CLUSTER_HINT]);
    throw new ServiceUnavailableError("redis", { cause: error });
  }
}
