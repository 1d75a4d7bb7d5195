"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";
import { z } from "zod";

// zod's first object parse probes for eval (`Function("")`) to compile faster parsers; the pages'
// Content-Security-Policy forbids eval, so in the browser the probe is a CSP violation. Interpreted
// parsing needs no eval, and the forms' schemas are small.
z.config({ jitless: true });

export function Providers({ children }: { children: React.ReactNode }) {
  // One client per browser tab, created on first render (never shared between server requests).
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 15_000, refetchOnWindowFocus: true, retry: 1 } },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toaster position="bottom-right" closeButton expand />
    </QueryClientProvider>
  );
}
