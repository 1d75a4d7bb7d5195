import type { Route } from "next";
import { redirect } from "next/navigation";
import { SIGNED_IN_HOME } from "@/lib/security/callback-url";

export default function HomePage() {
  redirect(SIGNED_IN_HOME as Route);
}
