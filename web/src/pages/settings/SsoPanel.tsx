/** Single sign-on: what is configured, the redirect URI to register, and set up / change / remove. */
import { useState } from "react";
import { api, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { CodeBlock } from "../../components/CodeBlock";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { date } from "../../lib/format";
import { roleLabel } from "./roles";
import { SsoDialog } from "./SsoDialog";

/** GET /sso answers null while single sign-on is not set up. */
function loadSso(): Promise<Schemas["SsoConfig"] | null> {
  return unwrap(api.GET("/sso"));
}

export function SsoPanel({ writable }: { writable: boolean }) {
  const { me } = useMe();
  const sso = useApi(loadSso, []);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);

  const remove = async () => {
    await unwrap(api.DELETE("/sso"));
    sso.setData(() => null);
    return "Single sign-on removed";
  };

  return (
    <Panel
      title="Single sign-on"
      actions={writable && sso.data !== undefined ? (
        <span className="row">
          <Button variant="secondary" onClick={() => setEditing(true)}>{sso.data ? "Change settings" : "Set up SSO"}</Button>
          {sso.data ? <Button variant="ghost" onClick={() => setRemoving(true)}>Remove</Button> : null}
        </span>
      ) : null}
    >
      <DataView state={sso} isEmpty={(d) => d === null} empty={<Empty title="Single sign-on is not set up">People sign in with an e-mail and password. Connect your identity provider (OpenID Connect) to let them use their work account.</Empty>}>
        {(c) =>
          c ? (
            <div className="stack">
              <dl className="facts">
                <dt>Status</dt><dd>{c.enabled ? <Badge tone="success">enabled</Badge> : <Badge>disabled</Badge>}</dd>
                <dt>Issuer</dt><dd><code>{c.issuer}</code></dd>
                <dt>Client ID</dt><dd><code>{c.clientId}</code></dd>
                <dt>Allowed domains</dt><dd>{c.allowedDomains.length ? c.allowedDomains.join(", ") : "Any"}</dd>
                <dt>Role of new users</dt><dd>{roleLabel(c.defaultRole)}</dd>
                <dt>Configured</dt><dd>{date(c.createdAt)}</dd>
              </dl>
              <div>
                <div className="small muted">Register this redirect URI at your identity provider:</div>
                <CodeBlock code={c.redirectUri} />
              </div>
              <div className="small muted">Sign-in link: <code>{`${location.origin}/api/v1/auth/sso/start?tenant=${encodeURIComponent(me.tenant.slug)}`}</code></div>
            </div>
          ) : null
        }
      </DataView>

      {editing && sso.data !== undefined ? (
        <SsoDialog current={sso.data} onClose={() => setEditing(false)} onSaved={(c) => { setEditing(false); sso.setData(() => c); }} />
      ) : null}
      {removing ? (
        <ConfirmDialog title="Remove single sign-on?" confirmLabel="Remove SSO" onConfirm={remove} onClose={() => setRemoving(false)}>
          <p>People who sign in only through SSO will not be able to sign in until it is set up again. Users with a password are not affected.</p>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}
