import "server-only";
import type PgBoss from "pg-boss";

/**
 * Creates a pg-boss queue if it does not exist yet (idempotent). pg-boss creates a queue with an
 * INSERT and a partition of its job table: two instances that start together can deadlock (40P01)
 * or collide (23505) there. Both mean "another instance is creating it": try again shortly, by
 * which time it exists. Every queue of the app is created through here.
 */
export async function createQueue(boss: PgBoss, queue: string, options: Omit<PgBoss.Queue, "name"> = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(queue, { name: queue, ...options });
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if ((code !== "40P01" && code !== "23505") || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 200));
    }
  }
}
