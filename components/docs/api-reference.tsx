"use client";

import "@scalar/api-reference-react/style.css";
import dynamic from "next/dynamic";

// Scalar renders in the browser only (it mounts its own Vue app); bundled from npm, nothing from a CDN.
const ApiReferenceReact = dynamic(() => import("@scalar/api-reference-react").then((m) => m.ApiReferenceReact), {
  ssr: false,
  loading: () => (
    <p role="status" className="px-6 py-10 text-sm text-slate-600">
      Loading the API reference…
    </p>
  ),
});

/** The interactive reference of the OpenAPI document at `url`, configured to work offline. */
export function ApiReference({ url }: { url: string }) {
  return (
    <ApiReferenceReact
      configuration={{
        url,
        // No fonts from Scalar's CDN, no telemetry, no proxy through Scalar's servers, no Scalar toolbar.
        withDefaultFonts: false,
        telemetry: false,
        showDeveloperTools: "never",
        hideClientButton: true,
        documentDownloadType: "json",
        theme: "default",
        layout: "modern",
        hiddenClients: { node: ["undici"] },
        defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
      }}
    />
  );
}
