/**
 * Adds or edits a provider: an OpenAI-compatible host (its base URL, key and models), or your
 * own key for OpenAI or Anthropic. The key is write-only: left empty, the stored one stays.
 */
import { useState } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { SelectField, TextArea, TextField } from "../../components/Field";
import { FormError, useSubmit } from "../../components/useSubmit";
import { joinList, splitList } from "../settings/lists";

type Provider = Schemas["GatewayProvider"];
type Kind = Provider["kind"];

const KINDS: { value: Kind; label: string }[] = [
  { value: "openai-compatible", label: "OpenAI-compatible host (Groq, Together, vLLM, …)" },
  { value: "openai", label: "OpenAI, with your own key" },
  { value: "anthropic", label: "Anthropic, with your own key" },
];
const FIELDS = ["name", "kind", "baseUrl", "apiKey", "models"];

export function ProviderDialog({ provider, onClose, onSaved }: { provider: Provider | null; onClose: () => void; onSaved: () => void }) {
  const editing = provider !== null;
  const [kind, setKind] = useState<Kind>(provider?.kind ?? "openai-compatible");
  const [name, setName] = useState(provider?.name ?? "");
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? "");
  const [apiKey, setApiKey] = useState("");
  const [models, setModels] = useState(joinList(provider?.models));
  const compatible = kind === "openai-compatible";
  // The built-in kinds are stored under their own reserved name.
  const effectiveName = compatible ? name.trim() : kind;

  const form = useSubmit(async () => {
    if (!effectiveName) throw new ApiError(400, "validation_failed", "Give the provider a name", undefined, [{ path: "name", message: "Give the provider a name" }]);
    const saved = await unwrap(
      api.PUT("/gateway/providers/{name}", {
        params: { path: { name: effectiveName } },
        body: { kind, baseUrl: compatible ? baseUrl.trim() || null : null, models: splitList(models), ...(apiKey ? { apiKey } : {}) },
      }),
    );
    onSaved();
    return `Provider "${saved.name}" saved`;
  }, FIELDS);

  return (
    <Dialog open title={editing ? `Edit provider ${provider.name}` : "Add a provider"} onClose={onClose}>
      <form onSubmit={form.onSubmit}>
        <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)} options={KINDS} disabled={editing} error={form.errors.kind} />
        {compatible ? (
          <>
            <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} disabled={editing} required autoFocus={!editing} placeholder="groq" hint="Calls name its models as name/model, e.g. groq/llama-3.3-70b-versatile." error={form.errors.name} />
            <TextField label="Base URL" type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} required placeholder="https://api.groq.com/openai/v1" error={form.errors.baseUrl} />
          </>
        ) : null}
        <TextField
          label="API key"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          hint={provider?.hasApiKey ? `A key ending in ${provider.apiKeyLast4 ?? "…"} is stored; leave empty to keep it.` : "Stored encrypted; never shown again."}
          error={form.errors.apiKey}
        />
        <TextArea label="Models" value={models} onChange={(e) => setModels(e.target.value)} rows={3} placeholder="llama-3.3-70b-versatile, mixtral-8x7b" hint="Comma or line separated. These can be called by bare name." error={form.errors.models} />
        <FormError form={form} />
        <div className="gw-actions">
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" busy={form.busy}>{editing ? "Save provider" : "Add provider"}</Button>
        </div>
      </form>
    </Dialog>
  );
}
