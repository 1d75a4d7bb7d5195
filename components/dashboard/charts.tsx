"use client";

import { Bar, BarChart, CartesianGrid, Cell, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * The dashboard's charts. Each is drawn for sighted readers only (aria-hidden, no keyboard stops):
 * the figure around it carries a summary and a table with the same numbers for screen readers.
 */

const COLORS = { created: "#1d4ed8", won: "#047857", lost: "#be123c", bar: "#1d4ed8", other: "#64748b" };
const AXIS = { fontSize: 12, fill: "#334155" };

const weekLabel = (iso: string) => new Date(iso).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function WeeklyChart({ weeks }: { weeks: { week: string; created: number; won: number; lost: number }[] }) {
  return (
    <div aria-hidden="true" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={weeks} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="week" tickFormatter={weekLabel} tick={AXIS} minTickGap={24} />
          <YAxis allowDecimals={false} tick={AXIS} width={48} />
          <Tooltip labelFormatter={(v) => `Week of ${weekLabel(String(v))}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="created" name="Created" fill={COLORS.created} radius={[2, 2, 0, 0]} isAnimationActive={false} />
          <Line dataKey="won" name="Won" stroke={COLORS.won} strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line dataKey="lost" name="Lost" stroke={COLORS.lost} strokeWidth={2} dot={false} strokeDasharray="5 3" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Horizontal bars, one per category, with long labels kept readable at 390 px. */
export function CategoryBarChart({ data, otherName }: { data: { name: string; count: number }[]; otherName?: string }) {
  const height = Math.max(120, data.length * 34 + 24);
  return (
    <div aria-hidden="true" className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={AXIS} />
          <YAxis type="category" dataKey="name" tick={AXIS} width={130} interval={0} />
          <Tooltip />
          <Bar dataKey="count" name="Leads" fill={COLORS.bar} radius={[0, 2, 2, 0]} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={otherName !== undefined && d.name === otherName ? COLORS.other : COLORS.bar} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
