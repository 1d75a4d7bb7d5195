import fs from "node:fs";
import autocannon, { type RequestParams, type Result } from "autocannon";

/** One autocannon run against one server, with exact percentiles and the server's peak memory. */

export interface LoadOptions {
  url: string;
  path: string;
  method: "GET" | "PATCH";
  apiKey: string;
  connections: number;
  durationSeconds: number;
  /** Body of the next request (PATCH), or the next path (GET); called once per request. */
  next: () => { body?: string; path?: string };
  /** Process whose tree's resident memory is sampled during the run. */
  serverPid: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  statusCodes: Record<string, number>;
  peakRssBytes: number;
  /** CPU ms each process group used during the load, when the caller measured it (scripts/bench/cpu.ts). */
  cpuMs?: Record<string, number>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function readStatus(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
}

function statusField(status: string, field: string): number {
  const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return match ? Number(match[1]) * 1024 : 0;
}

/** `pid` and its descendants (Next.js may run its server in child processes). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const status = readStatus(Number(entry));
    const ppid = status?.match(/^PPid:\s+(\d+)/m)?.[1];
    if (ppid === undefined) continue;
    const list = parents.get(Number(ppid)) ?? [];
    list.push(Number(entry));
    parents.set(Number(ppid), list);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i] ?? -1) ?? []));
  return tree;
}

/** Resident memory of the tree now (sum of VmRSS), and the sum of the processes' own peaks (VmHWM). */
export function treeMemory(pids: number[]): { rss: number; hwm: number } {
  let rss = 0;
  let hwm = 0;
  for (const pid of pids) {
    const status = readStatus(pid);
    if (!status) continue;
    rss += statusField(status, "VmRSS");
    hwm += statusField(status, "VmHWM");
  }
  return { rss, hwm };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pids = processTree(options.serverPid);
  let peakRssBytes = treeMemory(pids).rss;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, treeMemory(pids).rss)), 200);

  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const headers: Record<string, string> = { "X-API-KEY": options.apiKey };
  if (options.method === "PATCH") headers["Content-Type"] = "application/json";

  try {
    const result = await new Promise<Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: options.url,
          connections: options.connections,
          duration: options.durationSeconds,
          timeout: 30,
          requests: [
            {
              method: options.method,
              path: options.path,
              headers,
              setupRequest: (request: RequestParams): RequestParams => {
                const next = options.next();
                return { ...request, ...(next.path ? { path: next.path } : {}), ...(next.body !== undefined ? { body: next.body } : {}) };
              },
            },
          ],
        },
        (error, res) => (error ? reject(error) : resolve(res)),
      );
      instance.on("response", (_client, statusCode, _bytes, responseTime) => {
        latencies.push(responseTime);
        statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      });
    });
    const sorted = Float64Array.from(latencies).sort();
    const non2xx = latencies.length - Object.entries(statusCodes).reduce((sum, [code, n]) => sum + (code.startsWith("2") ? n : 0), 0);
    return {
      requests: latencies.length,
      rps: latencies.length / result.duration,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      errors: result.errors + non2xx,
      statusCodes,
      peakRssBytes: Math.max(peakRssBytes, treeMemory(pids).rss),
    };
  } finally {
    clearInterval(sampler);
  }
}
