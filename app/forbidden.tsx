import Link from "next/link";
import { buttonPrimary } from "@/components/ui/styles";

export default function Forbidden() {
  return (
    <div className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center p-8 text-center">
      <p className="text-sm font-semibold text-brand-600">403</p>
      <h1 className="mt-2 text-2xl font-semibold">Admins only</h1>
      <p className="mt-2 text-slate-600">
        This page is for the admins of your organization. Ask one of them if you need a setting, an API key or a user changed.
      </p>
      <Link href="/leads" className={`${buttonPrimary} mt-6`}>
        Go to leads
      </Link>
    </div>
  );
}
