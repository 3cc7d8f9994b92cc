/** The event catalog as the webhook pages use it: the names endpoints may subscribe to. */
import type { paths } from "../../api/client";

type CreateBody = paths["/webhooks/endpoints"]["post"]["requestBody"]["content"]["application/json"];
export type EventTypeName = NonNullable<CreateBody["eventTypes"]>[number];

/**
 * The catalog served by /events/types is the API's enum of event types; its entries are typed
 * as plain strings there, so the names are narrowed here, once.
 */
export function asEventTypes(names: string[]): EventTypeName[] {
  return names as EventTypeName[];
}

/** `lead.created` → `lead`: catalog entries grouped by what they are about. */
export function groupOf(type: string): string {
  return type.split(".")[0] ?? type;
}
