import type { ApiKeyScope, Role } from "../../d1/schema";

/** Who is calling: a signed-in user (JWT) or an API key. Every data access is scoped by its tenantId. */
export type Principal =
  | { type: "user"; tenantId: string; userId: string; role: Role; rooftopId: string | null }
  | {
      type: "api_key";
      tenantId: string;
      apiKeyId: string;
      scopes: ApiKeyScope[];
      tags: string[];
    };

/** The id written to the audit log for this principal. */
export function actorOf(p: Principal): { actorType: "user" | "api_key"; actorId: string } {
  return p.type === "user" ? { actorType: "user", actorId: p.userId } : { actorType: "api_key", actorId: p.apiKeyId };
}
