/**
 * Providers: live health of every target (circuits, error rates, latency), the providers and
 * aliases this dealership configured, and the prices calls are costed at.
 */
import { useState } from "react";
import { useMe } from "../../app/me";
import type { PageProps } from "../../app/routes";
import { Page } from "../../components/Page";
import { AliasesPanel } from "./AliasesPanel";
import { HealthPanel } from "./HealthPanel";
import { PricesPanel } from "./PricesPanel";
import { ProvidersPanel } from "./ProvidersPanel";

export default function ProvidersPage(_props: PageProps) {
  const { can } = useMe();
  const canEdit = can("gateway:write");
  // Adding a provider or alias adds health targets: the health panel re-reads at once.
  const [generation, setGeneration] = useState(0);
  const changed = () => setGeneration((g) => g + 1);
  return (
    <Page title="Providers" description="Where gateway calls go: the health of each target, your own providers and aliases, and the prices calls are costed at.">
      <HealthPanel refresh={generation} />
      <ProvidersPanel canEdit={canEdit} onChanged={changed} />
      <AliasesPanel canEdit={canEdit} onChanged={changed} />
      <PricesPanel canEdit={canEdit} />
    </Page>
  );
}
