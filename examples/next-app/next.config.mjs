// Nothing feed-specific: the feed's route runs on the Node.js runtime like any route handler. The tracing root is
// this app (it lives inside the feed's repository, whose own lockfile Next would otherwise pick).
/** @type {import('next').NextConfig} */
export default { outputFileTracingRoot: import.meta.dirname };
