/**
 * Reading a posted body with a size cap, without buffering more than the cap: the
 * Content-Length is checked first, and a stream that runs past the cap is cancelled.
 */
import { AppError } from "../errors";

function tooLarge(max: number): AppError {
  return new AppError("payload_too_large", `The body is larger than ${Math.round(max / 1024)} KB`);
}

export async function readBodyLimited(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) throw tooLarge(max);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
