/** A node of PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` plan, as the plan tests read it. */
export interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
  Plans?: PlanNode[];
}

/** The node and every node under it. */
export const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];
