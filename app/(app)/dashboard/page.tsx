import type { Metadata } from "next";
import type { Route } from "next";
import Link from "next/link";
import { CategoryBarChart, WeeklyChart } from "@/components/dashboard/charts";
import { formatMoney, STATUS_LABELS } from "@/components/format";
import { LocalTime } from "@/components/local-time";
import { cardClass, focusRing } from "@/components/ui/styles";
import { requireUser } from "@/lib/auth/session";
import { getDashboard } from "@/lib/dashboard/dashboard";
import { ensureDashboardRollupScheduled } from "@/lib/dashboard/jobs";
import { parsePeriod, PERIOD_LABELS, PERIODS } from "@/lib/dashboard/queries";
import { OTHER_LOSS_REASON } from "@/lib/loss-reasons/schemas";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Dashboard" };

const percent = (rate: number) => `${Math.round(rate * 100)}%`;
const weekLabel = (iso: string) => new Date(iso).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });

const STATUS_ACCENTS = { open: "border-t-sky-500", qualified: "border-t-violet-500", won: "border-t-emerald-600", lost: "border-t-rose-600" } as const;

function ChartCard({ id, title, summary, children, table }: { id: string; title: string; summary: string; children: React.ReactNode; table: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className={`${cardClass} min-w-0 p-4 sm:p-5`} data-testid={id}>
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      <p className="mt-1 text-sm text-slate-600" data-testid={`${id}-summary`}>
        {summary}
      </p>
      <div className="mt-4">{children}</div>
      <div className="sr-only">{table}</div>
    </section>
  );
}

/** The data behind a chart, as a table for screen readers: the first cell of each row names it. */
function ChartTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: { key: string; cells: (string | number)[] }[] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, cells: [name, ...values] }) => (
          <tr key={key}>
            <th scope="row">{name}</th>
            {values.map((value, i) => (
              <td key={i}>{value}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="rounded-md border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-600">{children}</p>;
}

/** The sales team's overview: figures by status, the win rate and three charts over a period kept in the URL. */
export default async function DashboardPage({ searchParams }: PageProps<"/dashboard">) {
  const user = await requireUser();
  const period = parsePeriod((await searchParams).period);
  const data = await getDashboard(user.organization, period);
  // The rollup job's schedule lives in PostgreSQL; the first dashboard view of a process makes sure it exists.
  void ensureDashboardRollupScheduled();
  const { currency } = data;
  const created = data.weeks.reduce((sum, w) => sum + w.created, 0);
  const closed = data.won.count + data.lost.count;
  const lossTotal = data.lossReasons.reduce((sum, r) => sum + r.count, 0);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Dashboard"
        description={
          <>
            {user.organization.name} · figures as of <LocalTime iso={data.asOf} />
          </>
        }
        actions={
          <nav aria-label="Period">
            <ul className="flex flex-wrap gap-1 rounded-lg border border-slate-200 bg-white p-1 shadow-sm">
              {PERIODS.map((p) => (
                <li key={p}>
                  <Link
                    href={`/dashboard?period=${p}` as Route}
                    aria-current={p === period ? "page" : undefined}
                    className={`inline-block rounded-md px-3 py-1.5 text-sm font-medium ${focusRing} ${
                      p === period ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100"
                    }`}
                  >
                    {PERIOD_LABELS[p]}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        }
      />

      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading" className="sr-only">
          Leads by status (all leads)
        </h2>
        <ul className="grid grid-cols-2 gap-3 lg:grid-cols-5">
          {data.statuses.map((s) => (
            <li key={s.status} className={`${cardClass} border-t-4 ${STATUS_ACCENTS[s.status]} p-4`} data-testid={`figure-${s.status}`}>
              <p className="text-sm font-medium text-slate-600">{STATUS_LABELS[s.status]}</p>
              <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid="figure-count">
                {s.count.toLocaleString("en-US")}
                <span className="sr-only"> leads</span>
              </p>
              <p className="text-sm tabular-nums text-slate-700" data-testid="figure-value">
                {formatMoney(s.value, currency)}
              </p>
            </li>
          ))}
          <li className={`${cardClass} col-span-2 border-t-4 border-t-slate-700 p-4 lg:col-span-1`} data-testid="figure-win-rate">
            <p className="text-sm font-medium text-slate-600">Win rate · {data.periodLabel.toLowerCase()}</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid="win-rate">
              {data.winRate === null ? "—" : percent(data.winRate)}
            </p>
            <p className="text-sm text-slate-700">
              {closed === 0 ? "No leads won or lost in this period" : `${data.won.count} won of ${closed} closed · ${formatMoney(data.won.value, currency)} won`}
            </p>
          </li>
        </ul>
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <div className="lg:col-span-2">
          <ChartCard
            id="chart-weekly"
            title="Leads created, won and lost per week"
            summary={
              created + closed === 0
                ? `No leads were created, won or lost in this period (${data.periodLabel.toLowerCase()}).`
                : `${data.periodLabel}: ${created} created, ${data.won.count} won, ${data.lost.count} lost.`
            }
            table={
              <ChartTable
                caption={`Leads created, won and lost per week, ${data.periodLabel.toLowerCase()}`}
                columns={["Week of", "Created", "Won", "Lost"]}
                rows={data.weeks.filter((w) => w.created + w.won + w.lost > 0).map((w) => ({ key: w.week, cells: [weekLabel(w.week), w.created, w.won, w.lost] }))}
              />
            }
          >
            {created + closed === 0 ? <Empty>Nothing happened in this period: no chart to draw. Try a longer period.</Empty> : <WeeklyChart weeks={data.weeks} />}
          </ChartCard>
        </div>

        <ChartCard
          id="chart-loss-reasons"
          title="Why leads were lost"
          summary={
            lossTotal === 0
              ? "No leads were lost in this period."
              : data.lossReasons
                  .filter((r) => r.count > 0)
                  .map((r) => `${r.name}: ${r.count}`)
                  .join(", ")
          }
          table={
            <ChartTable
              caption={`Lost leads by loss reason, ${data.periodLabel.toLowerCase()}`}
              columns={["Reason", "Lost leads"]}
              rows={data.lossReasons.map((r) => ({ key: r.id ?? "other", cells: [r.name, r.count] }))}
            />
          }
        >
          {lossTotal === 0 ? <Empty>No lost leads in this period.</Empty> : <CategoryBarChart data={data.lossReasons} otherName={OTHER_LOSS_REASON} />}
        </ChartCard>

        <ChartCard
          id="chart-sources"
          title="Where new leads came from"
          summary={created === 0 ? "No leads were created in this period." : data.sources.map((s) => `${s.source}: ${s.count}`).join(", ")}
          table={
            <ChartTable
              caption={`Leads created by source, ${data.periodLabel.toLowerCase()}`}
              columns={["Source", "Leads created"]}
              rows={data.sources.map((s) => ({ key: s.source, cells: [s.source, s.count] }))}
            />
          }
        >
          {created === 0 ? <Empty>No new leads in this period.</Empty> : <CategoryBarChart data={data.sources.map((s) => ({ name: s.source, count: s.count }))} />}
        </ChartCard>
      </div>
      <p className="text-xs text-slate-600">
        Weeks start on Monday (UTC). Won and lost count by the day the lead was won or lost; figures by status cover every lead. Read in {data.serverMs} ms.
      </p>
    </div>
  );
}
