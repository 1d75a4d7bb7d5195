import { cardClass } from "@/components/ui/styles";

export default function LeadLoading() {
  return (
    <div role="status" aria-label="Loading the lead" className="animate-pulse space-y-6">
      <div className="h-4 w-24 rounded bg-slate-200" />
      <div className="flex items-center justify-between">
        <div className="h-8 w-64 rounded bg-slate-200" />
        <div className="h-8 w-32 rounded bg-slate-200" />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <div className={`${cardClass} h-80`} />
        <div className={`${cardClass} h-80`} />
      </div>
      <span className="sr-only">Loading the lead…</span>
    </div>
  );
}
