/** Confirming a rollback: the champion moves back to the version it replaced. */
import { api, unwrap } from "../../api/client";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { rollbackTarget } from "./AliasHistoryPanel";
import { versionLabel } from "./labels";
import type { ModelDetail } from "./types";

export function RollbackDialog({ model, onClose, onDone }: { model: ModelDetail; onClose: () => void; onDone: () => void }) {
  const target = rollbackTarget(model);
  return (
    <ConfirmDialog
      title="Roll back the champion?"
      confirmLabel="Roll back"
      onClose={onClose}
      onConfirm={async () => {
        const r = await unwrap(api.POST("/models/{id}/rollback", { params: { path: { id: model.id } } }));
        onDone();
        return `Champion rolled back to ${versionLabel(model.versions, r.versionId)}`;
      }}
    >
      Calls to <code>ft:{model.key}</code> go back to <strong>{versionLabel(model.versions, target)}</strong> at once, replacing {versionLabel(model.versions, model.aliases.champion)}.
    </ConfirmDialog>
  );
}
