/**
 * "Are you sure?" before a destructive action (revoke, delete, reject): says what will
 * happen, runs the action with a busy button, and shows its failure in place. Mounted means
 * open; it closes itself when the action succeeds.
 */
import type { ReactNode } from "react";
import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { FormError, useSubmit } from "./useSubmit";

export function ConfirmDialog({ title, confirmLabel, onConfirm, onClose, children }: {
  title: string;
  confirmLabel: string;
  /** Does the action; what it returns is shown as a toast. */
  onConfirm: () => Promise<string | void>;
  onClose: () => void;
  children: ReactNode;
}) {
  const form = useSubmit(onConfirm);
  const confirm = async () => {
    if (await form.run()) onClose();
  };
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button variant="danger" busy={form.busy} onClick={() => void confirm()}>{confirmLabel}</Button>
        </>
      }
    >
      <div className="stack">
        <div>{children}</div>
        <FormError form={form} />
      </div>
    </Dialog>
  );
}
