/** The ADF document as the provider sent it, fetched when first opened. */
import { useState } from "react";
import { api, unwrap } from "../../../api/client";
import { CodeBlock } from "../../../components/CodeBlock";
import { ErrorState, Loading } from "../../../components/States";

export function LeadAdf({ id }: { id: string }) {
  const [xml, setXml] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const load = async () => {
    if (xml !== null) return;
    try {
      setXml(await unwrap(api.GET("/leads/{id}/adf", { params: { path: { id } }, parseAs: "text" })));
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <details className="wf-adf" onToggle={(e) => e.currentTarget.open && void load()}>
      <summary>ADF as received</summary>
      {error ? <ErrorState error={error} /> : xml === null ? <Loading label="Loading the ADF…" /> : <CodeBlock code={xml} />}
    </details>
  );
}
