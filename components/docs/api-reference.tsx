"use client";

import "@scalar/api-reference-react/style.css";
import dynamic from "next/dynamic";
import { useEffect } from "react";
import { z } from "zod";

// Scalar validates with zod, whose first object parse probes for eval (`Function("")`) to compile
// faster parsers; the page's Content-Security-Policy forbids eval, so the probe is a CSP violation.
// Interpreted parsing needs no eval and is fast enough for the reference.
z.config({ jitless: true });

/**
 * Scalar mounts its "Ask AI" agent when the page is served from a local address (localhost, *.test,
 * …), and the agent fetches from Scalar's hosted services at once, whatever the configuration. The
 * reference must work with no internet and send nothing to third parties: requests to those
 * services are refused in the browser (they would fail offline anyway) and the agent is hidden.
 */
const SCALAR_SERVICES = /(^|\.)scalar\.com$/;

function refuseScalarServices(): () => void {
  const original = window.fetch;
  window.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    if (SCALAR_SERVICES.test(url.hostname)) {
      return Promise.reject(new TypeError(`Leadline's API reference does not contact ${url.hostname}`));
    }
    return original(input, init);
  };
  return () => {
    window.fetch = original;
  };
}

const HIDE_AGENT_CSS = `
.agent-scalar, .scalar-app-exit { display: none !important; }
.t-doc__sidebar button.bg-sidebar-b-search.whitespace-nowrap { display: none !important; }
`;

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
  useEffect(() => refuseScalarServices(), []);
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
        customCss: HIDE_AGENT_CSS,
        defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
      }}
    />
  );
}
