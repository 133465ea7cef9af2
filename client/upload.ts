// Sends the multipart upload with XMLHttpRequest: fetch cannot report upload progress, XHR can (and can be aborted).
import { abortedError, networkError } from "./feed-errors.js";

export interface SendFormOptions {
  /** Fraction of the request body sent, 0 to 1; reaches 1 once the whole file is sent. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface FormResult {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/** POSTs the form; resolves with any HTTP answer, rejects only when nothing came back (offline) or on abort. */
export function sendForm(
  url: string,
  form: FormData,
  { onProgress, signal }: SendFormOptions = {},
): Promise<FormResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal?.addEventListener("abort", abort, { once: true });
    const done = () => signal?.removeEventListener("abort", abort);

    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    // Small files may finish without a progress event; the end of the body is still worth reporting.
    xhr.upload.onload = () => onProgress?.(1);
    xhr.onload = () => {
      done();
      resolve({
        status: xhr.status,
        body: parseJson(xhr.responseText),
        retryAfter: exposedHeader(xhr, "Retry-After"),
      });
    };
    xhr.onerror = () => {
      done();
      reject(networkError());
    };
    xhr.onabort = () => {
      done();
      reject(abortedError());
    };
    xhr.open("POST", url);
    xhr.send(form);
  });
}

/**
 * A response header, or null when the browser does not expose it: asking for a header another origin did not list in
 * Access-Control-Expose-Headers logs "Refused to get unsafe header", while getAllResponseHeaders lists only exposed ones.
 */
function exposedHeader(xhr: XMLHttpRequest, name: string): string | null {
  const prefix = `${name.toLowerCase()}:`;
  const exposed = xhr
    .getAllResponseHeaders()
    .split(/\r?\n/)
    .some((line) => line.toLowerCase().startsWith(prefix));
  return exposed ? xhr.getResponseHeader(name) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
