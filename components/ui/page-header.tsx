import type { Route } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { linkClass } from "./styles";

/** The links above a sub-page's title ("← All leads"), in a labelled nav. */
export function Breadcrumbs({ links }: { links: { href: Route; label: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="flex gap-4 text-sm">
      {links.map((link) => (
        <Link key={link.href} href={link.href} className={linkClass}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}

/** A page's title, with a line under it and, on the right, the page's actions. */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  const heading = (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
    </div>
  );
  if (!actions) return heading;
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      {heading}
      {actions}
    </div>
  );
}
