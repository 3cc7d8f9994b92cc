/**
 * Uploads a file with progress: fetch cannot report how much of a request body has been
 * sent, XMLHttpRequest can. Same auth as the typed client (the session's bearer token,
 * refreshed once on a 401) and the same errors (ApiError with the API's code and request id).
 */
import { ApiError } from "../api/client";
import { currentSession, refreshSession } from "../api/session";

export type UploadEvents = {
  /** Bytes of the body sent so far, of `total`. */
  onProgress: (sent: number, total: number) => void;
  /** The whole body has been sent; the server is working on it. */
  onSent?: () => void;
};

type Answer = { status: number; statusText: string; text: string; requestId: string | null };

function send(path: string, body: Blob, contentType: string, events: UploadEvents): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("content-type", contentType);
    const token = currentSession()?.accessToken;
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (e) => events.onProgress(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.upload.onload = () => {
      events.onProgress(body.size, body.size);
      events.onSent?.();
    };
    xhr.onload = () => resolve({ status: xhr.status, statusText: xhr.statusText, text: xhr.responseText, requestId: xhr.getResponseHeader("x-request-id") });
    xhr.onerror = () => reject(new ApiError(0, "network_error", "The server could not be reached"));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "The upload was cancelled"));
    xhr.send(body);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type ErrorBody = { error?: { code?: string; message?: string; requestId?: string; details?: unknown } };

/** POSTs `body` to `path` (e.g. /api/v1/datasets?name=x) and answers the parsed JSON of a 2xx. */
export async function uploadWithProgress(path: string, body: Blob, contentType: string, events: UploadEvents): Promise<unknown> {
  let answer = await send(path, body, contentType, events);
  if (answer.status === 401 && currentSession() && (await refreshSession())) answer = await send(path, body, contentType, events);
  const json = parse(answer.text);
  if (answer.status >= 200 && answer.status < 300) return json;
  const err = ((json ?? {}) as ErrorBody).error;
  throw new ApiError(answer.status, err?.code ?? `http_${answer.status}`, err?.message ?? `${answer.status} ${answer.statusText}`, err?.requestId ?? answer.requestId ?? undefined, err?.details);
}
