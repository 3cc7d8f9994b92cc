const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Random base62 string of `length` characters (rejection sampling keeps it unbiased). */
export function randomString(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
}

/** A prefixed id such as `usr_4fG…`: the prefix tells a reader what it names. */
export function newId(prefix: string): string {
  return `${prefix}_${randomString(20)}`;
}
