/**
 * Shows a secret the API returns only once (an API key, a webhook signing secret), with a
 * copy button and a plain warning. Mounted means open; the caller forgets the secret on close.
 */
import type { ReactNode } from "react";
import { Button } from "./Button";
import { CodeBlock } from "./CodeBlock";
import { Dialog } from "./Dialog";

export function SecretDialog({ title, secret, onClose, children }: { title: string; secret: string; onClose: () => void; children?: ReactNode }) {
  return (
    <Dialog open title={title} onClose={onClose} footer={<Button onClick={onClose}>I have copied it</Button>}>
      <div className="stack">
        <div className="banner banner-warning" role="note">
          <strong>Copy it now: you won't see it again.</strong>
          <span>Auterity cannot show it again once this window is closed.</span>
        </div>
        <CodeBlock code={secret} label="Copy secret" />
        {children}
      </div>
    </Dialog>
  );
}
