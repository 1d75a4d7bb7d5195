-- The sender finds a group's pending deliveries (its head, the run after it) and the sweep finds
-- every group's head through one partial index of the pending deliveries only. Before, the head
-- was looked up in an index of every delivery of the group, in order, checking each row's status
-- in the table: a lead with 10,000 delivered events read 10,000 rows on each claim. A delivered
-- or failed delivery leaves the index, and the (status, nextAttemptAt) index, which only the
-- sweep used, is gone: recording an attempt writes fewer index entries.
DROP INDEX "WebhookDelivery_endpointId_orderKey_seq_idx";
DROP INDEX "WebhookDelivery_status_nextAttemptAt_idx";
CREATE INDEX "WebhookDelivery_pending_idx" ON "WebhookDelivery"("endpointId", "orderKey", "seq") WHERE "status" = 'pending';
