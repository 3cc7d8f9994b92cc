/**
 * The signed-in session: tokens from /auth/login kept in localStorage, refreshed on a 401
 * (one refresh at a time; refresh tokens work once), cleared on sign-out or a failed refresh.
 */
export type Session = { accessToken: string; refreshToken: string };

const KEY = "auterity.session";
const listeners = new Set<() => void>();

export function currentSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function storeSession(session: Session | null): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  for (const l of listeners) l();
}

/** Calls `fn` whenever the session changes (sign in, refresh, sign out). */
export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new session; false (and signed out) when that fails. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = currentSession();
    if (!session) return false;
    const res = await fetch("/api/v1/auth/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    }).catch(() => null);
    if (!res?.ok) {
      // Another tab may have refreshed already: its tokens are in storage now.
      const latest = currentSession();
      if (latest && latest.refreshToken !== session.refreshToken) return true;
      storeSession(null);
      return false;
    }
    const next = (await res.json()) as Session;
    storeSession({ accessToken: next.accessToken, refreshToken: next.refreshToken });
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** fetch with the access token, retried once after a refresh when it has expired. */
export async function authedFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const withToken = (req: Request) => {
    const token = currentSession()?.accessToken;
    if (token) req.headers.set("authorization", `Bearer ${token}`);
    return fetch(req);
  };
  const res = await withToken(input);
  if (res.status !== 401 || !currentSession()) return res;
  return (await refreshSession()) ? withToken(retry) : res;
}
