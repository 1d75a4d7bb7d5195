import Link from "next/link";
import { buttonPrimary } from "@/components/ui/styles";

export default function LeadNotFound() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Lead not found</h1>
      <p className="mt-2 text-slate-600">This lead does not exist, or it belongs to another organization.</p>
      <Link href="/leads" className={`${buttonPrimary} mt-6`}>
        Back to leads
      </Link>
    </div>
  );
}
