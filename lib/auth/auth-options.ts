import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { verifyCredentials } from "./credentials";
import { createSession, revokeSession } from "./sessions";

const EIGHT_HOURS = 8 * 60 * 60;

/** next-auth: e-mail and password, JWT sessions. Every use of the session re-checks the user (see session.ts). */
export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: EIGHT_HOURS },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "E-mail and password",
      credentials: {
        email: { label: "E-mail", type: "email" },
        password: { label: "Password", type: "password" },
      },
      authorize: (credentials) => verifyCredentials(credentials),
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        // A new sign-in: a server-side session row that sign-out revokes (sessions.ts).
        token.sid = await createSession(user.id);
        token.userId = user.id;
        token.organizationId = user.organizationId;
        token.role = user.role;
        token.sessionVersion = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      session.user = {
        id: token.userId,
        name: token.name ?? "",
        email: token.email ?? "",
        role: token.role,
        organizationId: token.organizationId,
        sessionVersion: token.sessionVersion,
        sessionId: token.sid,
      };
      return session;
    },
  },
  events: {
    // Sign-out ends the session on the server too: the cookie no longer works, even if kept.
    async signOut({ token }) {
      if (typeof token?.sid === "string") await revokeSession(token.sid);
    },
  },
};
