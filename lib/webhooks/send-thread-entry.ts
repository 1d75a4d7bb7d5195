import { parentPort } from "node:worker_threads";
import { attemptDelivery, type AttemptInput } from "./attempt";
import type { AttemptResult } from "./send";

/**
 * The sender thread (started by ./send-thread): runs the attempts the server's thread hands it
 * and answers each with its result. It holds the keep-alive connections to the receivers.
 */

export interface AttemptRequest {
  id: number;
  input: AttemptInput;
}

export interface AttemptReply {
  id: number;
  result: AttemptResult;
}

const port = parentPort;
port?.on("message", (request: AttemptRequest) => {
  const started = Date.now();
  attemptDelivery(request.input).then(
    (result) => port.postMessage({ id: request.id, result } satisfies AttemptReply),
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        result: { ok: false, status: null, timeMs: Date.now() - started, body: null, error: `Network error: ${error instanceof Error ? error.message : String(error)}` },
      } satisfies AttemptReply),
  );
});
