/** The signed-in frame: navigation (a drawer on tablets), the tenant, sign-out, banners. */
import { type ReactNode, useState } from "react";
import { api } from "../api/client";
import { currentSession, storeSession } from "../api/session";
import { AnomalyBanner } from "./AnomalyBanner";
import { useMe } from "./me";
import { Link, useLocation } from "./router";
import { ROUTES } from "./routes";

const GROUPS = ["Overview", "Gateway", "Automation", "AI", "Settings"] as const;

async function signOut(): Promise<void> {
  const refreshToken = currentSession()?.refreshToken;
  if (refreshToken) await api.POST("/auth/logout", { body: { refreshToken } }).catch(() => undefined);
  storeSession(null);
}

export function Layout({ children }: { children: ReactNode }) {
  const { me, can } = useMe();
  const { pathname } = useLocation();
  const [open, setOpen] = useState(false);
  const who = me.type === "user" ? me.user.email : `API key ${me.apiKey.id}`;
  const active = (path: string) => (path === "/" ? pathname === "/" : pathname === path || pathname.startsWith(`${path}/`));

  return (
    <div className={open ? "shell nav-open" : "shell"}>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <button type="button" className="btn btn-ghost nav-toggle" aria-expanded={open} aria-controls="sidebar" onClick={() => setOpen(!open)}>
          ☰<span className="sr-only">Menu</span>
        </button>
        <Link to="/" className="brand"><span className="brand-mark" aria-hidden="true" />Auterity</Link>
        <span className="tenant-name">{me.tenant.name}</span>
        <span className="topbar-spacer" />
        <span className="muted small who">{who}</span>
        <button type="button" className="btn btn-secondary" onClick={() => void signOut()}>Sign out</button>
      </header>
      <nav id="sidebar" className="sidebar" aria-label="Main">
        {GROUPS.map((group) => {
          const items = ROUTES.filter((r) => r.nav === group && (!r.permission || can(r.permission)));
          if (!items.length) return null;
          return (
            <div key={group} className="nav-group">
              <div className="nav-group-title">{group}</div>
              {items.map((r) => (
                <Link key={r.path} to={r.path} className={active(r.path) ? "nav-link active" : "nav-link"} aria-current={active(r.path) ? "page" : undefined} onClick={() => setOpen(false)}>
                  {r.title}
                </Link>
              ))}
            </div>
          );
        })}
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <AnomalyBanner />
        {children}
      </main>
    </div>
  );
}
