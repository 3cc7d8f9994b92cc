/** The sign-in screen: email and password to /auth/login; errors say what went wrong. */
import { type FormEvent, useState } from "react";
import { api, unwrap } from "../api/client";
import { storeSession } from "../api/session";
import { Button } from "../components/Button";
import { TextField } from "../components/Field";

export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  document.title = "Sign in · Auterity";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await unwrap(api.POST("/auth/login", { body: { email, password } }));
      storeSession({ accessToken: session.accessToken, refreshToken: session.refreshToken });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <div className="brand brand-large"><span className="brand-mark" aria-hidden="true" />Auterity</div>
        <h1 id="signin-title">Sign in</h1>
        <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error ? <div className="field-error" role="alert">{error}</div> : null}
        <Button type="submit" busy={busy}>Sign in</Button>
        <p className="muted small">Running locally? <code>npm start</code> prints the demo admin's email and password.</p>
      </form>
    </main>
  );
}
