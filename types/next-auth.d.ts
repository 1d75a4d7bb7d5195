import type { DefaultSession } from "next-auth";

type Role = "admin" | "sales";

declare module "next-auth" {
  interface User {
    id: string;
    role: Role;
    organizationId: string;
    sessionVersion: number;
  }

  interface Session extends DefaultSession {
    user: {
      id: string;
      name: string;
      email: string;
      role: Role;
      organizationId: string;
      sessionVersion: number;
      /** The server-side session row (lib/auth/sessions.ts). */
      sessionId?: string;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId: string;
    role: Role;
    organizationId: string;
    sessionVersion: number;
    /** The server-side session row (lib/auth/sessions.ts). */
    sid?: string;
  }
}
