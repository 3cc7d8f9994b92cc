/** Confirming an assistant's deletion: its conversations stay readable, its widgets stop. */
import { api, unwrap } from "../../api/client";
import { navigate } from "../../app/router";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { Assistant } from "./types";

export function DeleteAssistantDialog({ assistant, onClose }: { assistant: Assistant; onClose: () => void }) {
  return (
    <ConfirmDialog
      title={`Delete ${assistant.name}?`}
      confirmLabel="Delete assistant"
      onClose={onClose}
      onConfirm={async () => {
        await unwrap(api.DELETE("/assistants/{id}", { params: { path: { id: assistant.id } } }));
        navigate("/assistants");
        return `Assistant ${assistant.name} deleted`;
      }}
    >
      Its conversations stay readable, but websites embedding a widget of this assistant stop showing the chat.
    </ConfirmDialog>
  );
}
