import "server-only";
import { prisma } from "@/lib/db/client";

/** Read-only: which of these normalised e-mails belong to a lead of the organization (for the preview). */
export async function leadsByEmails(organizationId: string, emails: readonly string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await prisma.lead.findMany({
    where: { organizationId, emailNormalized: { in: [...new Set(emails)] } },
    select: { emailNormalized: true },
  });
  return new Set(rows.flatMap((r) => (r.emailNormalized ? [r.emailNormalized] : [])));
}
