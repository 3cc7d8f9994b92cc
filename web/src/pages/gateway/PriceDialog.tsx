/** Sets this dealership's price for a provider's model (a new version; old ones are kept). */
import { useState } from "react";
import { ApiError, api, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";

export type PriceDraft = { provider: string; model: string; inputPerMtok: number | null; outputPerMtok: number | null; cachedInputPerMtok: number | null };

/** The typed price, or a validation error for its field when left empty. */
function priceOf(v: string, path: string): number {
  if (v.trim() === "") throw new ApiError(400, "validation_failed", "Enter a price in USD per million tokens", undefined, [{ path, message: "Enter a price in USD per million tokens" }]);
  return Number(v);
}

export function PriceDialog({ draft, onClose, onSaved }: { draft: PriceDraft | null; onClose: () => void; onSaved: () => void }) {
  const [provider, setProvider] = useState(draft?.provider ?? "");
  const [model, setModel] = useState(draft?.model ?? "");
  const [input, setInput] = useState(draft?.inputPerMtok === null || draft === null ? "" : String(draft.inputPerMtok));
  const [output, setOutput] = useState(draft?.outputPerMtok === null || draft === null ? "" : String(draft.outputPerMtok));
  const [cached, setCached] = useState(draft?.cachedInputPerMtok === null || draft === null ? "" : String(draft.cachedInputPerMtok));
  const fixed = draft !== null;
  const form = useSubmit(async () => {
    await unwrap(
      api.PUT("/gateway/prices", {
        body: { provider: provider.trim(), model: model.trim(), inputPerMtok: priceOf(input, "inputPerMtok"), outputPerMtok: priceOf(output, "outputPerMtok"), cachedInputPerMtok: cached.trim() === "" ? null : Number(cached) },
      }),
    );
    onSaved();
    return `Price for ${provider.trim()}/${model.trim()} saved`;
  }, ["provider", "model", "inputPerMtok", "outputPerMtok", "cachedInputPerMtok"]);
  const money = { type: "number", inputMode: "decimal", step: "any", min: "0" } as const;
  return (
    <Dialog open title={fixed ? `Your price for ${draft.provider}/${draft.model}` : "Set a price"} onClose={onClose}>
      <form onSubmit={form.onSubmit}>
        <div className="gw-pair">
          <TextField label="Provider" value={provider} onChange={(e) => setProvider(e.target.value)} disabled={fixed} autoFocus={!fixed} placeholder="groq" error={form.errors.provider} />
          <TextField label="Model" value={model} onChange={(e) => setModel(e.target.value)} disabled={fixed} placeholder="llama-3.3-70b-versatile" error={form.errors.model} />
        </div>
        <div className="gw-pair">
          <TextField label="Input (USD per million tokens)" {...money} value={input} onChange={(e) => setInput(e.target.value)} autoFocus={fixed} error={form.errors.inputPerMtok} />
          <TextField label="Output (USD per million tokens)" {...money} value={output} onChange={(e) => setOutput(e.target.value)} error={form.errors.outputPerMtok} />
        </div>
        <TextField label="Cached input (USD per million tokens)" {...money} value={cached} onChange={(e) => setCached(e.target.value)} hint="Leave empty to bill cached tokens as input." error={form.errors.cachedInputPerMtok} />
        <p className="muted small">Applies from now on; past calls keep the cost they were recorded with.</p>
        <FormError form={form} />
        <div className="gw-actions">
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" busy={form.busy}>Save price</Button>
        </div>
      </form>
    </Dialog>
  );
}
