/**
 * The dealership group: its name and time zone, its rooftops and departments, and single
 * sign-on.
 */
import { api, unwrap } from "../../api/client";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import type { PageProps } from "../../app/routes";
import { Page } from "../../components/Page";
import { DataView } from "../../components/States";
import { RooftopsPanel } from "./RooftopsPanel";
import { SsoPanel } from "./SsoPanel";
import { TenantPanel } from "./TenantPanel";

export default function TenantPage(_props: PageProps) {
  const { can, reload } = useMe();
  const tenant = useApi(() => unwrap(api.GET("/tenant")), []);
  const writable = can("tenant:write");
  return (
    <Page title="Dealership" description="Your dealership group, its rooftops and departments, and how people sign in.">
      <DataView state={tenant}>
        {(t) => (
          <>
            <TenantPanel
              tenant={t}
              writable={writable}
              onSaved={(saved) => {
                tenant.setData(() => saved);
                reload();
              }}
            />
            <RooftopsPanel tenantZone={t.timezone} writable={writable} />
            <SsoPanel writable={writable} />
          </>
        )}
      </DataView>
    </Page>
  );
}
