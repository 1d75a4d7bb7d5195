import pino from "pino";
import { env } from "@/lib/env";

/**
 * The process's structured logger: one JSON object per line on stdout, level from LOG_LEVEL.
 * Never log secrets: API keys appear by id, users by id, bodies not at all.
 */
export const logger = pino({
  level: env.LOG_LEVEL,
  base: { service: "leadline", pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  // Errors logged under `err` keep their type, message and stack for operators.
  serializers: { err: pino.stdSerializers.err },
});
