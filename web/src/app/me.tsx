/** Who is signed in (/me): the user, their tenant and permissions, for every page. */
import { createContext, useContext } from "react";
import type { Schemas } from "../api/client";

export type Me = Schemas["Me"];

export const MeContext = createContext<{ me: Me; reload: () => void } | null>(null);

export function useMe(): { me: Me; can: (permission: string) => boolean; reload: () => void } {
  const ctx = useContext(MeContext);
  if (!ctx) throw new Error("useMe outside the signed-in app");
  const permissions = new Set<string>(ctx.me.permissions ?? []);
  return { me: ctx.me, can: (p) => permissions.has(p), reload: ctx.reload };
}
