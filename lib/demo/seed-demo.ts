import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { hashApiKey } from "@/lib/api-keys/api-keys";
import { prisma } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { normalizeEmail, normalizePhone, type LeadStatusValue } from "@/lib/leads/normalize";
import { planLeadUpdate } from "@/lib/leads/plan-update";
import { importLeads } from "@/lib/leads/store";
import { Decimal } from "@/lib/leads/store/record";
import { DEFAULT_LOSS_REASONS, reasonKey } from "@/lib/loss-reasons/schemas";
import { hashPassword } from "@/lib/users/passwords";

/**
 * Demo data for a first start: the organization "Acme", an admin, a salesperson, a demo API key,
 * its managed loss reasons and a year of leads with notes and history (more leads in recent
 * months, six sources, about a third of closed leads won, older leads mostly closed). Deterministic,
 * so the README and tests can name leads in it. Seeded only into a database without organizations.
 */

export const DEMO = {
  organization: { name: "Acme", slug: "acme" },
  admin: { name: "Alice Admin", email: "admin@acme.test", password: "acme-admin-demo" },
  sales: { name: "Sam Sales", email: "sales@acme.test", password: "acme-sales-demo" },
  apiKey: { name: "Demo key", plaintext: "ll_demo_acme_do_not_use_in_production" },
  leadCount: 360,
} as const;

/** Small deterministic PRNG (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sophia", "Lucas", "Mia", "Ethan", "Isabella", "Amara", "Chen", "Priya", "Diego", "Fatima", "Hiroshi", "Ingrid", "Kwame", "Leila", "Marco", "Nadia", "Oscar", "Rosa", "Tomás", "Yara", "Zoe", "Arjun", "Beatriz", "Daniel"];
const LAST = ["Smith", "Johnson", "Garcia", "Martinez", "Brown", "Nguyen", "Patel", "Kim", "Okafor", "Rossi", "Müller", "Silva", "Cohen", "Andersson", "Tanaka", "Dubois", "Kowalski", "O'Brien", "Haddad", "Novak", "Lopez", "Walker", "Singh", "Park", "Mensah"];
const COMPANIES = ["Northwind Traders", "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foods", "Hooli", "Vandelay Imports", "Soylent Labs", "Cyberdyne Systems", "Tyrell Homes", "Wonka Confections", "Pied Piper", "Massive Dynamic", "Oscorp Energy", "Blue Sun", "Gringotts Finance", "Acme Roofing", "Bluth Properties", "Dunder Mifflin"];
const AREA_CODES = ["212", "312", "415", "512", "617", "646", "702", "720", "206", "305"];
const NOTES = [
  "Called, interested in the annual plan. Follow up next week.",
  "Asked for a quote for 25 seats.",
  "Came in through the pricing page web form.",
  "Demo booked for Thursday 10:00.",
  "Decision maker is the COO; budget approved for Q3.",
  "Left a voicemail.",
  "Sent the proposal and the security questionnaire.",
  "Wants a pilot before committing.",
  "Referred by an existing customer.",
  "Competitor is cheaper, but they like our support.",
];
/** Weights of the managed reasons (DEFAULT_LOSS_REASONS, same order), then free texts that stay "Other". */
const LOSS_REASON_WEIGHTS = [28, 25, 15, 17, 10, 5];
const OTHER_LOSS_REASONS = ["Went with an in-house tool", "Company was acquired", "Needed an on-premise version"];
const SOURCES: [string, number][] = [["webform", 34], ["calltracker", 16], ["adplatform", 15], ["api", 14], ["import", 11], ["app", 10]];

const DAY = 24 * 60 * 60 * 1000;

function slug(s: string): string {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "");
}

interface DemoLead {
  /** How long ago the lead came in. */
  daysAgo: number;
  source: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string;
  status: LeadStatusValue;
  value: string | null;
  lossReason: string | null;
}

function demoLeads(): DemoLead[] {
  const rnd = random(20261126);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const weighted = <T>(list: readonly [T, number][]): T => {
    let roll = rnd() * list.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, weight] of list) if ((roll -= weight) < 0) return item;
    return list[0]![0];
  };
  const leads: DemoLead[] = [
    // Named leads that the README and the tests refer to: the newest, from the web form.
    { daysAgo: 0.25, source: "webform", name: "Grace Hopper", email: "grace.hopper@navalsystems.example", phone: "+1 415 555 0100", company: "Naval Systems", status: "open", value: "12000.00", lossReason: null },
    { daysAgo: 0.5, source: "webform", name: "Jordan Lee", email: "jordan.lee@northwind.example", phone: "(212) 555-0134", company: "Northwind Traders", status: "qualified", value: "8000.00", lossReason: null },
    { daysAgo: 0.75, source: "webform", name: "Jordan Lee (second inquiry)", email: "Jordan.Lee@northwind.example", phone: "+1 212 555 0135", company: "Northwind Traders", status: "open", value: null, lossReason: null },
  ];
  const reasons = DEFAULT_LOSS_REASONS.map((name, i) => [name, LOSS_REASON_WEIGHTS[i] ?? 1] as [string, number]);
  while (leads.length < DEMO.leadCount) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const company = pick(COMPANIES);
    // A year of history, busier lately (a growing team); older leads are mostly closed.
    const daysAgo = 1 + 364 * rnd() ** 1.4;
    const closed = rnd() < Math.min(0.85, daysAgo / 75);
    const status: LeadStatusValue = closed ? (rnd() < 0.34 ? "won" : "lost") : rnd() < 0.4 ? "qualified" : "open";
    const area = pick(AREA_CODES);
    const local = `${200 + Math.floor(rnd() * 800)}-${String(Math.floor(rnd() * 10000)).padStart(4, "0")}`;
    leads.push({
      daysAgo,
      source: weighted(SOURCES),
      name: `${first} ${last}`,
      email: rnd() < 0.9 ? `${slug(first)}.${slug(last)}${leads.length}@${slug(company)}.example` : null,
      phone: rnd() < 0.8 ? (rnd() < 0.5 ? `(${area}) ${local}` : `+1 ${area} ${local}`) : null,
      company,
      status,
      value: rnd() < 0.85 ? (Math.round((800 + rnd() ** 2 * 60_000) / 50) * 50 + (rnd() < 0.2 ? 0.5 : 0)).toFixed(2) : null,
      lossReason: status === "lost" ? (rnd() < 0.85 ? weighted(reasons) : pick(OTHER_LOSS_REASONS)) : null,
    });
  }
  return leads;
}

export async function hasAnyOrganization(): Promise<boolean> {
  return (await prisma.organization.count()) > 0;
}

export async function seedDemo(now = new Date()): Promise<void> {
  const rnd = random(42);
  const organizationId = newId("org");
  await prisma.$transaction(
    async (tx) => {
      await tx.organization.create({ data: { id: organizationId, ...DEMO.organization } });
      const adminId = newId("user");
      const salesId = newId("user");
      await tx.user.createMany({
        data: [
          { id: adminId, organizationId, name: DEMO.admin.name, email: DEMO.admin.email, role: "admin", passwordHash: await hashPassword(DEMO.admin.password) },
          { id: salesId, organizationId, name: DEMO.sales.name, email: DEMO.sales.email, role: "sales", passwordHash: await hashPassword(DEMO.sales.password) },
        ],
      });
      const lossReasonIds = new Map<string, string>();
      await tx.lossReason.createMany({
        data: DEFAULT_LOSS_REASONS.map((name, i) => {
          const id = newId("lr");
          lossReasonIds.set(reasonKey(name), id);
          return { id, organizationId, name, position: i + 1, createdAt: new Date(now.getTime() - 365 * DAY) };
        }),
      });
      const apiKeyId = newId("key");
      await tx.apiKey.create({
        data: {
          id: apiKeyId,
          organizationId,
          name: DEMO.apiKey.name,
          hashedKey: hashApiKey(DEMO.apiKey.plaintext),
          suffix: DEMO.apiKey.plaintext.slice(-4),
          createdById: adminId,
          createdAt: new Date(now.getTime() - 370 * DAY),
        },
      });

      const actors = [
        { actorType: "user" as const, actorUserId: salesId, actorApiKeyId: null, actorName: DEMO.sales.name, source: "app" },
        { actorType: "user" as const, actorUserId: adminId, actorApiKeyId: null, actorName: DEMO.admin.name, source: "app" },
        { actorType: "api_key" as const, actorUserId: null, actorApiKeyId: apiKeyId, actorName: DEMO.apiKey.name, source: "api" },
      ];
      const leads: Prisma.LeadCreateManyInput[] = [];
      const notes: Prisma.LeadNoteCreateManyInput[] = [];
      const events: Prisma.LeadEventCreateManyInput[] = [];

      demoLeads().forEach((demo, index) => {
        const id = newId("lead");
        // The named leads are the newest, so they open the list.
        const createdAt = new Date(now.getTime() - demo.daysAgo * DAY);
        // The named leads came in from the web form, through the demo key.
        const creator = index < 3 ? actors[2]! : actors[Math.floor(rnd() * actors.length)]!;
        events.push({
          id: newId("evt"), organizationId, leadId: id, type: "created", changes: { status: { from: null, to: "open" } },
          ...creator, requestId: null, createdAt,
        });

        // Walk the lead to its status through the same rules as a real update.
        let state = { status: "open" as LeadStatusValue, value: null as Decimal | null, lossReason: null as string | null, qualifiedAt: null as Date | null };
        const timestamps: { qualifiedAt?: Date; wonAt?: Date; lostAt?: Date } = {};
        const steps: { status?: LeadStatusValue; value?: string | null; lossReason?: string }[] = [];
        if (demo.value !== null) steps.push({ value: demo.value });
        if (demo.status === "won" || demo.status === "lost" || demo.status === "qualified") steps.push({ status: "qualified" });
        if (demo.status === "won") steps.push({ status: "won" });
        if (demo.status === "lost") steps.push({ status: "lost", lossReason: demo.lossReason ?? undefined });
        let at = createdAt.getTime();
        let updatedAt = createdAt;
        for (const step of steps) {
          // A value within a day or two, qualifying within two weeks, closing within a few weeks
          // more; never later than a few minutes ago, so every history stays in order.
          const days = step.value !== undefined ? rnd() * 2 : step.status === "qualified" ? 1 + rnd() * 13 : 4 + rnd() * 40;
          at = Math.min(at + days * DAY, at + (now.getTime() - 5 * 60_000 - at) * 0.9);
          const when = new Date(at);
          const { data, diff } = planLeadUpdate(state, step, when);
          state = {
            status: data.status ?? state.status,
            value: data.value !== undefined ? (data.value === null ? null : new Decimal(data.value)) : state.value,
            lossReason: data.lossReason !== undefined ? data.lossReason : state.lossReason,
            qualifiedAt: data.qualifiedAt ?? state.qualifiedAt,
          };
          if (data.qualifiedAt) timestamps.qualifiedAt = data.qualifiedAt;
          if (data.wonAt) timestamps.wonAt = data.wonAt;
          if (data.lostAt) timestamps.lostAt = data.lostAt;
          const actor = actors[Math.floor(rnd() * actors.length)]!;
          let noteId: string | null = null;
          if (rnd() < 0.6) {
            noteId = newId("note");
            notes.push({
              id: noteId, organizationId, leadId: id, body: NOTES[Math.floor(rnd() * NOTES.length)]!,
              authorUserId: actor.actorUserId, authorApiKeyId: actor.actorApiKeyId, createdAt: when,
            });
          }
          events.push({
            id: newId("evt"), organizationId, leadId: id, type: "updated", changes: diff as Prisma.InputJsonObject,
            ...actor, requestId: null, noteId, createdAt: when,
          });
          updatedAt = when;
        }
        const email = demo.email ? normalizeEmail(demo.email) : null;
        const phone = demo.phone ? normalizePhone(demo.phone, "US") : null;
        leads.push({
          id, organizationId, name: demo.name, email: demo.email, emailNormalized: email?.ok ? email.value : null,
          phone: demo.phone, phoneNormalized: phone?.ok ? phone.value : null, company: demo.company,
          source: demo.source, status: state.status,
          value: state.value, currency: "USD", lossReason: state.lossReason,
          lossReasonId: state.lossReason ? (lossReasonIds.get(reasonKey(state.lossReason)) ?? null) : null, ...timestamps,
          version: 1 + steps.length, createdAt, updatedAt,
        });
      });

      await importLeads(tx, { leads, notes, events });
    },
    { timeout: 60_000 },
  );
}
