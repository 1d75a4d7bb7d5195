"use client";

import { useState, useSyncExternalStore } from "react";

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

function relativeTime(date: Date, now: number): string {
  let amount = (date.getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return absolute.format(date);
}

const subscribe = () => () => {};

/**
 * A time in the reader's time zone. The server does not know that zone, so it renders the UTC
 * date and the browser replaces it after hydration.
 */
export function LocalTime({ iso, mode = "absolute" }: { iso: string; mode?: "absolute" | "relative" }) {
  const isClient = useSyncExternalStore(subscribe, () => true, () => false);
  // "3 minutes ago" is relative to when the component first rendered; good enough for a page view.
  const [now] = useState(() => Date.now());
  const date = new Date(iso);
  const text = !isClient
    ? `${iso.slice(0, 16).replace("T", " ")} UTC`
    : mode === "relative"
      ? relativeTime(date, now)
      : absolute.format(date);
  return (
    <time dateTime={iso} title={isClient ? absolute.format(date) : iso}>
      {text}
    </time>
  );
}
