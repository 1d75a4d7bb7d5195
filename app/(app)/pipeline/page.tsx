import type { Metadata } from "next";
import { PipelineBoardView } from "@/components/pipeline/pipeline-board";
import { requireUser } from "@/lib/auth/session";
import { listLossReasons } from "@/lib/loss-reasons/loss-reasons";
import { getPipelineBoard } from "@/lib/pipeline/pipeline";
import { pipelineQuerySchema } from "@/lib/pipeline/schemas";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Pipeline" };

/** The pipeline board, rendered with its first page so it shows at once; filters come from the URL. */
export default async function PipelinePage({ searchParams }: PageProps<"/pipeline">) {
  const user = await requireUser();
  const params = await searchParams;
  const parsed = pipelineQuerySchema.safeParse({ search: params.search, source: params.source });
  const filters = parsed.success ? { search: parsed.data.search ?? "", source: parsed.data.source ?? "" } : { search: "", source: "" };
  const [board, reasons] = await Promise.all([
    getPipelineBoard(user.organization, { search: filters.search || undefined, source: filters.source || undefined }),
    listLossReasons(user.organization.id, { activeOnly: true }),
  ]);
  return (
    <div className="space-y-4">
      <PageHeader title="Pipeline" description={`Every lead of ${user.organization.name} by stage, with what each stage is worth.`} />
      <PipelineBoardView initial={board} initialFilters={filters} lossReasons={reasons.map(({ id, name }) => ({ id, name }))} />
    </div>
  );
}
