import { execFileSync } from "node:child_process";
import fs from "node:fs";

/**
 * CPU time of the processes a case involves (Linux /proc): where a request's cost goes, on a
 * machine whose cores the server, PostgreSQL, the load generator and the webhook receiver share.
 * A group is a process and all its descendants (PostgreSQL: the postmaster and its backends).
 */

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  ppid: number;
  /**
   * User + system time, its own and that of its children that ended and were waited for, in ms:
   * a PostgreSQL backend that exits (an idle pool connection closed) moves its time into the
   * postmaster's, so a group's sum never goes back.
   */
  cpuMs: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime: fields 14-17 of proc(5), counted from the state (field 3).
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { pid, ppid: Number(fields[1]), cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return null; // gone meanwhile
  }
}

function allProcesses(): ProcStat[] {
  if (!fs.existsSync("/proc")) return [];
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== null);
}

/** The pid of the PostgreSQL server running on this data directory, if any. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const first = fs.readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0];
    return first ? Number(first) : null;
  } catch {
    return null;
  }
}

export type CpuGroups = Record<string, number | null>;

/**
 * CPU ms used so far by each group: a root pid and its descendants, except those under another
 * group's root (the bench's own process is the parent of every server). Null roots count 0.
 */
export function cpuOfGroups(groups: CpuGroups): Record<string, number> {
  const processes = allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const roots = new Set(Object.values(groups).filter((pid): pid is number => pid !== null));
  const out: Record<string, number> = {};
  for (const [name, root] of Object.entries(groups)) {
    let total = 0;
    const stack = root === null ? [] : [root];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      total += byPid.get(pid)?.cpuMs ?? 0;
      for (const child of children.get(pid) ?? []) if (!roots.has(child.pid)) stack.push(child.pid);
    }
    out[name] = total;
  }
  return out;
}

/** Measures the CPU each group uses while `work` runs. */
export async function withCpu<T>(groups: CpuGroups, work: () => Promise<T>): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const before = cpuOfGroups(groups);
  const result = await work();
  const after = cpuOfGroups(groups);
  return { result, cpuMs: Object.fromEntries(Object.keys(groups).map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)])) };
}

export function addCpu(into: Record<string, number>, add: Record<string, number>): void {
  for (const [name, ms] of Object.entries(add)) into[name] = (into[name] ?? 0) + ms;
}
