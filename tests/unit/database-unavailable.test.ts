import net from "node:net";
import pg from "pg";
import { DriverAdapterError, type Error as AdapterError } from "@prisma/driver-adapter-utils";
import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError, isDatabaseUnavailable, toAppError } from "@/lib/errors";

/** A port with nothing listening: connecting to it gives a real ECONNREFUSED. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}

describe("a lost database is a 503, not a 500", () => {
  it("maps a real refused connection of the pg driver to SERVICE_UNAVAILABLE", async () => {
    const client = new pg.Client({ connectionString: `postgresql://x:y@127.0.0.1:${await closedPort()}/none`, connectionTimeoutMillis: 2000 });
    const error: unknown = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
    const mapped = toAppError(error);
    expect(mapped.code).toBe("SERVICE_UNAVAILABLE");
    expect(mapped.status).toBe(503);
    expect(mapped.details).toEqual({ retryAfterSeconds: 5 });
  });

  it("maps Prisma's connection codes and the driver adapter's kinds", () => {
    for (const code of ["P1001", "P1017", "P2024"]) {
      expect(toAppError(new Prisma.PrismaClientKnownRequestError("any text", { code, clientVersion: "7" })).status).toBe(503);
    }
    // What @prisma/adapter-pg throws inside a raw query (P2010) when PostgreSQL is down or restarting.
    const postgres = (code: string): AdapterError => ({ kind: "postgres", code, severity: "FATAL", message: "any text", detail: undefined, column: undefined, hint: undefined });
    const causes: AdapterError[] = [{ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 }, { kind: "ConnectionClosed" }, postgres("57P01"), postgres("08006")];
    for (const cause of causes) {
      const raw = new Prisma.PrismaClientKnownRequestError("Raw query failed", {
        code: "P2010",
        clientVersion: "7",
        meta: { driverAdapterError: new DriverAdapterError(cause) },
      });
      expect(toAppError(raw).code, cause.kind).toBe("SERVICE_UNAVAILABLE");
    }
  });

  it("maps node-postgres's code-less connection-loss errors, and nothing that merely looks like them", () => {
    expect(toAppError(new Error("Connection terminated unexpectedly")).code).toBe("SERVICE_UNAVAILABLE");
    expect(toAppError(new Error("Client has encountered a connection error and is not queryable")).code).toBe("SERVICE_UNAVAILABLE");
    expect(toAppError(new Error("Connection terminated unexpectedly!")).code).toBe("INTERNAL_ERROR");
    expect(toAppError(new TypeError("Connection terminated unexpectedly")).code).toBe("INTERNAL_ERROR");
  });

  it("leaves other database errors alone", () => {
    const syntax = new Prisma.PrismaClientKnownRequestError("Raw query failed", {
      code: "P2010",
      clientVersion: "7",
      meta: {
        driverAdapterError: new DriverAdapterError({ kind: "postgres", code: "42601", severity: "ERROR", message: "syntax error", detail: undefined, column: undefined, hint: undefined }),
      },
    });
    expect(toAppError(syntax).code).toBe("INTERNAL_ERROR");
    expect(toAppError(new AppError("CONFLICT", "x")).code).toBe("CONFLICT");
    expect(isDatabaseUnavailable(new Error("ECONNREFUSED in the text only"))).toBe(false);
  });
});
