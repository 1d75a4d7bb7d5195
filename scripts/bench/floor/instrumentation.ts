// The floor has no start-up work (no job queue, no migrations): this file keeps Next.js from
// looking for one elsewhere.
export function register(): void {}
