// What the demo page says about a problem, worded from the SDK's error codes and details (never its English message),
// and the feed's live status line.
import { allowedFormatNames, FeedClientError, type WatchStatus } from "../feed-client.js";
import { type MessageKey, t, text } from "./i18n/index.js";

/** The server answered, and badly (503, 5xx): not the person's connection, so it is not worded as theirs. */
function isServerTrouble(problem: FeedClientError): boolean {
  return problem.code === "unavailable" || (problem.status ?? 0) >= 500;
}

/** No answer at all; the browser knows when it has no network, so "offline" is only said when it is true. */
const isOffline = () => typeof navigator !== "undefined" && !navigator.onLine;

/** One sentence for a failed action (post, delete, sign-in, loading) that can be shown as it is. */
export function problemMessage(problem: unknown): string {
  if (!(problem instanceof FeedClientError)) return t("problem.generic");
  if (problem.code === "offline") return t(isOffline() ? "problem.offline" : "problem.unreachable");
  if (isServerTrouble(problem)) return t("problem.serverTrouble");
  return fileProblem(problem) ?? requestProblem(problem);
}

// Codes worded by one sentence that needs no detail from the error.
const PLAIN_PROBLEMS: Partial<Record<FeedClientError["code"], MessageKey>> = {
  not_signed_in: "problem.notSignedIn",
  unauthorized: "problem.unauthorized",
  forbidden: "problem.forbidden",
  upload_rejected: "problem.uploadRejected",
  upload_removed: "problem.uploadRemoved",
  aborted: "problem.aborted",
};

function requestProblem(problem: FeedClientError): string {
  if (problem.code === "rate_limited") {
    return problem.retryAfterSeconds
      ? t("problem.rateLimited", { seconds: problem.retryAfterSeconds })
      : t("problem.rateLimitedSoon");
  }
  const plain = PLAIN_PROBLEMS[problem.code];
  if (plain) return t(plain);
  return (problem.status ?? 0) >= 400 ? t("problem.invalid") : t("problem.generic");
}

/** The refusals `post` and `verifyFile` make before uploading, from their details. */
function fileProblem(problem: FeedClientError): string | undefined {
  const details = problem.details;
  switch (problem.code) {
    case "empty_file":
      return t("problem.emptyFile");
    case "caption_too_long":
      return t("problem.captionTooLong", { length: details.length, limit: details.limit });
    case "file_too_large": {
      const sizes = { size: text.bytes(Number(details.size)), limit: text.bytes(Number(details.limit)) };
      return t(details.mediaType === "video" ? "problem.videoTooLarge" : "problem.photoTooLarge", sizes);
    }
    case "unsupported_file":
      return unsupportedFile(details);
    default:
      return undefined;
  }
}

function unsupportedFile(details: FeedClientError["details"]): string {
  const type = String(details.type ?? "");
  if (details.reason === "not_media") return type ? t("problem.notMedia", { type }) : t("problem.notMediaUntyped");
  if (details.reason === "mismatch") {
    const params = { type, format: String(details.name), extension: String(details.format) };
    return t(details.mediaType === "video" ? "problem.videoMislabelled" : "problem.photoMislabelled", params);
  }
  return details.found ? t("problem.otherFormat", { format: String(details.found) }) : t("problem.unknownFormat");
}

/** The feed's live status line; the last posts stay on screen while the watch retries. */
export function watchStatusText(status: WatchStatus): string {
  if (status.ok) return t("feed.live");
  const { error } = status;
  if (error.code === "offline") return t(isOffline() ? "feed.offline" : "feed.unreachable");
  if (isServerTrouble(error)) return t("feed.serverTrouble");
  return t("feed.otherTrouble");
}

/** "Photos: JPEG, … or HEIC, up to 10 MB. Videos: MP4, … or M4V, up to 100 MB." */
export function mediaHint(maxBytes: { image: number; video: number }): string {
  return t("composer.mediaHint", {
    imageFormats: text.alternatives(allowedFormatNames("image")),
    imageLimit: text.bytes(maxBytes.image),
    videoFormats: text.alternatives(allowedFormatNames("video")),
    videoLimit: text.bytes(maxBytes.video),
  });
}
