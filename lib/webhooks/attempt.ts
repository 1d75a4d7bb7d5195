import { postWebhook, type AttemptResult } from "./send";
import { signatureHeader } from "./signing";

/**
 * One attempt of a delivery, from plain data: signed with the endpoint's secrets, POSTed with the
 * Leadline headers. No database and no server state here: it runs on the sender thread
 * (./send-thread), or on the caller's thread where there is none.
 */

export interface AttemptInput {
  url: string;
  /** The payload as stored: the body that is signed and sent. */
  body: string;
  eventId: string;
  eventType: string;
  /** The current secret, then the previous one while a rotation lasts: one v1 signature each. */
  secrets: string[];
  allowPrivate: boolean;
}

export function attemptDelivery(input: AttemptInput): Promise<AttemptResult> {
  return postWebhook(
    input.url,
    input.body,
    { "Leadline-Signature": signatureHeader(input.secrets, input.body), "Leadline-Event-Id": input.eventId, "Leadline-Event-Type": input.eventType },
    { allowPrivate: input.allowPrivate },
  );
}
