import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { OrganizationSettings } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { validationError } from "@/lib/errors";
import { normalizeEmail, normalizePhone, phoneDigits } from "./normalize";
import type { ListLeadsQuery } from "./schemas";
import { serializeLead, type LeadDto } from "./serialize";

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
  hasMore: boolean;
}

export interface ListLeadsResult {
  leads: LeadDto[];
  pagination: Pagination;
  /** Sum of the values of every lead the filter matches (not only this page), when asked for. */
  totalValue?: number;
}

export function buildLeadWhere(organization: OrganizationSettings, query: ListLeadsQuery): Prisma.LeadWhereInput {
  const where: Prisma.LeadWhereInput = { organizationId: organization.id };
  if (query.status?.length) where.status = { in: query.status };
  if (query.email !== undefined) {
    const email = normalizeEmail(query.email);
    if (!email.ok) throw validationError([{ field: "email", message: email.message }]);
    where.emailNormalized = email.value;
  }
  if (query.phone !== undefined) {
    const phone = normalizePhone(query.phone, organization.defaultPhoneCountry);
    if (!phone.ok) throw validationError([{ field: "phone", message: phone.message }]);
    where.phoneNormalized = phone.value;
  }
  if (query.requestId !== undefined) {
    // The leads one request changed: every change writes an event carrying its request id.
    where.events = { some: { organizationId: organization.id, requestId: query.requestId } };
  }
  if (query.search !== undefined) {
    // Each branch is served by a trigram index, so substring search stays an index scan.
    const or: Prisma.LeadWhereInput[] = [
      { name: { contains: query.search, mode: "insensitive" } },
      { emailNormalized: { contains: query.search.toLowerCase() } },
    ];
    const digits = phoneDigits(query.search);
    if (digits.length >= 3) or.push({ phoneNormalized: { contains: digits } });
    where.OR = or;
  }
  return where;
}

function buildOrderBy(sort: ListLeadsQuery["sort"]): Prisma.LeadOrderByWithRelationInput[] {
  const { field, direction } = sort;
  const primary: Prisma.LeadOrderByWithRelationInput =
    field === "value" || field === "name"
      ? { [field]: { sort: direction, nulls: "last" } }
      : { [field]: direction };
  return [primary, { id: direction }];
}

/** One page of the organization's leads. Counts with the same filter; never loads more than a page. */
export async function listLeads(
  organization: OrganizationSettings,
  query: ListLeadsQuery,
  options: { withTotalValue?: boolean } = {},
): Promise<ListLeadsResult> {
  const where = buildLeadWhere(organization, query);
  // The count and the sum come from one scan of the filtered rows.
  const [rows, totals] = await Promise.all([
    prisma.lead.findMany({
      where,
      orderBy: buildOrderBy(query.sort),
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    }),
    options.withTotalValue
      ? prisma.lead.aggregate({ where, _count: { _all: true }, _sum: { value: true } }).then((a) => ({ total: a._count._all, sum: a._sum.value }))
      : prisma.lead.count({ where }).then((total) => ({ total, sum: undefined })),
  ]);
  const { total, sum } = totals;
  const totalPages = Math.max(1, Math.ceil(total / query.limit));
  return {
    leads: rows.map(serializeLead),
    pagination: { page: query.page, limit: query.limit, total, totalPages, hasMore: query.page * query.limit < total },
    ...(sum !== undefined ? { totalValue: Number(sum?.toString() ?? 0) } : {}),
  };
}
