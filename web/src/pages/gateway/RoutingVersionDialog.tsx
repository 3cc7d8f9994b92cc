/** One saved version of the rules: its YAML, and restoring it (saved again as the newest version). */
import type { Schemas } from "../../api/client";
import { Button } from "../../components/Button";
import { CodeBlock } from "../../components/CodeBlock";
import { Dialog } from "../../components/Dialog";
import { FormError, useSubmit } from "../../components/useSubmit";
import { dateTime } from "../../lib/format";

export function RoutingVersionDialog({ version, savedBy, canEdit, onClose, onLoad, onRestore }: {
  version: Schemas["RoutingRulesVersion"];
  savedBy: string | null;
  canEdit: boolean;
  onClose: () => void;
  onLoad: () => void;
  onRestore: () => Promise<void>;
}) {
  const restore = useSubmit(async () => {
    await onRestore();
    return `Version ${version.version} restored`;
  });
  return (
    <Dialog
      open
      title={`Version ${version.version}`}
      onClose={onClose}
      footer={
        canEdit && !version.current ? (
          <>
            <Button variant="secondary" onClick={onLoad}>Open in editor</Button>
            <Button busy={restore.busy} onClick={() => void restore.run()}>Restore this version</Button>
          </>
        ) : (
          <Button variant="secondary" onClick={onClose}>Close</Button>
        )
      }
    >
      <div className="stack">
        <p className="muted small">
          Saved {dateTime(version.createdAt)}
          {savedBy ? ` by ${savedBy}` : ""}. {version.current ? "This is the version in use." : "Restoring saves it again as the newest version; the history keeps everything."}
        </p>
        <CodeBlock code={version.yaml} />
        <FormError form={restore} />
      </div>
    </Dialog>
  );
}
