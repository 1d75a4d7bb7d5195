import http from "node:http";
import type { AddressInfo } from "node:net";

/** A local webhook receiver for tests: records every request, answers with scripted statuses (then 200). */

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; createdAt: string; data: Record<string, unknown> & { lead: Record<string, unknown> | null } };
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Connections opened to it so far (kept-alive connections carry many requests). */
  connections: number;
  /** Statuses for the next requests, in order; after them every request gets 200. */
  statuses: number[];
  /** When set, requests are held open (never answered) until release() is called. */
  hold: boolean;
  /** Requests held open now. */
  heldCount: () => number;
  release: () => void;
  /** Resolves when at least `count` requests have arrived (polls; fails after `timeoutMs`). */
  waitFor: (count: number, timeoutMs?: number) => Promise<ReceivedRequest[]>;
  close: () => Promise<void>;
}

export async function startReceiver(path = "/hook"): Promise<Receiver> {
  const held: http.ServerResponse[] = [];
  const receiver: Receiver = {
    url: "",
    requests: [],
    connections: 0,
    statuses: [],
    hold: false,
    heldCount: () => held.length,
    release: () => {
      for (const res of held.splice(0)) res.destroy();
    },
    waitFor: async (count, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (receiver.requests.length < count) {
        if (Date.now() > deadline) throw new Error(`Receiver got ${receiver.requests.length} of ${count} expected requests`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return receiver.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        receiver.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (receiver.hold) {
        held.push(res);
        return;
      }
      receiver.requests.push({ headers: req.headers, body, json: JSON.parse(body) as ReceivedRequest["json"] });
      const status = receiver.statuses.shift() ?? 200;
      res.writeHead(status, { "Content-Type": "text/plain" });
      res.end(status === 200 ? "ok" : `failure ${status}`);
    });
  });
  server.on("connection", () => receiver.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
