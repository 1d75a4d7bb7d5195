import { z } from "zod";
import { LEAD_STATUSES, MAX_LOSS_REASON_LENGTH } from "@/lib/leads/normalize";

/** Requests of the pipeline board (GET /api/app/pipeline, POST /api/app/pipeline/move). */

export const PIPELINE_PAGE_SIZE = 50;

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const pipelineQuerySchema = z.object({
  search: z.preprocess(blank, z.string().trim().max(200, { error: "must be at most 200 characters" }).optional()),
  source: z.preprocess(blank, z.string().trim().toLowerCase().max(40, { error: "must be at most 40 characters" }).optional()),
  /** With `cursor`: the next cards of one column ("load more"). */
  status: z.preprocess(blank, z.enum(LEAD_STATUSES, { error: `must be one of: ${LEAD_STATUSES.join(", ")}` }).optional()),
  cursor: z.preprocess(blank, z.string().max(200).optional()),
});

export type PipelineQuery = z.output<typeof pipelineQuerySchema>;

/** A card moved to another column: the lead's new status, with the version the board showed. */
export const moveLeadSchema = z
  .object({
    leadId: z.string({ error: "must be a lead id" }).trim().min(1, { error: "must be a lead id" }).max(200),
    status: z.enum(LEAD_STATUSES, { error: `must be one of: ${LEAD_STATUSES.join(", ")}` }),
    expectedVersion: z.number({ error: "must be the version the board showed" }).int().min(1),
    lossReason: z.preprocess(
      blank,
      z.string({ error: "must be a text string" }).trim().max(MAX_LOSS_REASON_LENGTH, { error: `must be at most ${MAX_LOSS_REASON_LENGTH} characters` }).optional(),
    ),
  })
  .superRefine((body, ctx) => {
    // The board asks for the reason before a card goes to lost.
    if (body.status === "lost" && body.lossReason === undefined) {
      ctx.addIssue({ code: "custom", path: ["lossReason"], message: "is required when moving a lead to lost" });
    }
  });

export type MoveLeadInput = z.output<typeof moveLeadSchema>;
