/** Who is acting, for which organization, and through which door. Built by the API wrapper or the session. */

export interface OrganizationSettings {
  id: string;
  allowBulkUpdates: boolean;
  defaultPhoneCountry: string;
  currency: string;
  /**
   * Whether the organization had an enabled webhook endpoint when this request started: read in the
   * same query that authenticated it (API key or session), so a lead change skips the outbox's own
   * check. Absent where no request read it (imports, scripts): the change's transaction checks.
   */
  hasWebhookEndpoints?: boolean;
}

export type Actor =
  | { type: "user"; userId: string; name: string }
  | { type: "api_key"; apiKeyId: string; name: string }
  | { type: "system"; name: string };

export type ChangeSource = "api" | "app" | "import" | "system";

export interface ActorContext {
  organization: OrganizationSettings;
  actor: Actor;
  source: ChangeSource;
  requestId: string;
}
