-- The trigram (GIN) indexes of the leads list's search. Every lead change that is not a HOT update
-- (a status, value or date change always touches an indexed column) adds the row's trigrams to each
-- index's pending list, and every search reads that whole list: by default up to 4 MB. Under a
-- steady stream of PATCHes a search for a rare term went from 0.07 ms (27 buffers) to 5-12 ms
-- (about 470 buffers) at 1M leads, until the list was merged (docs/performance.md, 28 Nov).
-- At 128 kB the list is merged into the index every few hundred changes, by the change that fills it:
-- a search reads at most 16 pending pages, and a change pays for a small merge now and then.
ALTER INDEX "Lead_name_trgm_idx" SET (gin_pending_list_limit = 128);
ALTER INDEX "Lead_emailNormalized_trgm_idx" SET (gin_pending_list_limit = 128);
ALTER INDEX "Lead_phoneNormalized_trgm_idx" SET (gin_pending_list_limit = 128);
