import { spawn } from "node:child_process";
import readline from "node:readline";

/**
 * The bench's webhook receiver: a node:http server in a process of its own (an integrator's server
 * is not in the load generator's event loop), answering 204 to every POST. Prints its port on stdout.
 * GET /stats tells how many deliveries it received and on how many connections (keep-alive reuse).
 */
const RECEIVER = `
const http = require("node:http");
let connections = 0, deliveries = 0;
const server = http.createServer((req, res) => {
  req.resume();
  if (req.method === "GET" && req.url === "/stats") return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ connections, deliveries }));
  deliveries++;
  req.on("end", () => res.writeHead(204).end());
});
server.on("connection", () => connections++);
server.keepAliveTimeout = 30000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.on("SIGTERM", () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

export interface ReceiverStats {
  connections: number;
  deliveries: number;
}

export interface Receiver {
  url: string;
  pid: number | null;
  /** Counted since it started (the stats request's own connection included). */
  stats: () => Promise<ReceiverStats>;
  stop: () => Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const child = spawn(process.execPath, ["-e", RECEIVER], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout });
  const port = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the webhook receiver exited (${code})`)));
  });
  lines.close();
  const base = `http://127.0.0.1:${port.trim()}`;
  return {
    url: `${base}/hook`,
    pid: child.pid ?? null,
    stats: async () => (await (await fetch(`${base}/stats`)).json()) as ReceiverStats,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
