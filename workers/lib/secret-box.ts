/**
 * Secrets at rest (provider keys, SSO client secrets): AES-GCM with a key derived
 * from the MASTER_KEY Worker secret. Output: "v1.<iv b64>.<ciphertext b64>".
 */
import { fromBase64, toBase64 } from "./crypto";

const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(masterKey: string): Promise<CryptoKey> {
  let key = keys.get(masterKey);
  if (!key) {
    key = (async () => {
      const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(masterKey), "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new TextEncoder().encode("auterity/secret-box"), info: new Uint8Array() },
        material,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
    keys.set(masterKey, key);
  }
  return key;
}

export async function sealSecret(masterKey: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await keyFor(masterKey), new TextEncoder().encode(plaintext));
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(ct))}`;
}

export async function openSecret(masterKey: string, sealed: string): Promise<string> {
  const [version, iv, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !ct) throw new Error("unrecognised sealed secret");
  const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv) }, await keyFor(masterKey), fromBase64(ct));
  return new TextDecoder().decode(pt);
}
