-- A delivery's payload is kept as the text that is signed and sent: json keeps it as written, while
-- jsonb re-orders the keys and had to be parsed and serialized again for every attempt. PostgreSQL
-- still checks that it is JSON, and storing it skips jsonb's conversion.
ALTER TABLE "WebhookDelivery" ALTER COLUMN "payload" SET DATA TYPE JSON USING "payload"::json;
