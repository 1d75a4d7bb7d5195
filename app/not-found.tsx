import Link from "next/link";
import { buttonPrimary } from "@/components/ui/styles";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center p-8 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">The page you are looking for does not exist or you do not have access to it.</p>
      <Link href="/leads" className={`${buttonPrimary} mt-6`}>
        Go to leads
      </Link>
    </main>
  );
}
