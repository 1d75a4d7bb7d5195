"use client";

import { usePathname, useRouter } from "next/navigation";
import type { Route } from "next";
import { useEffect } from "react";
import { toast } from "sonner";

/** "Lead created" once, after the new-lead form redirected here; the flag leaves the URL so a reload does not repeat it. */
export function CreatedToast() {
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    toast.success("Lead created", { id: "lead-created" });
    router.replace(pathname as Route, { scroll: false });
  }, [router, pathname]);
  return null;
}
