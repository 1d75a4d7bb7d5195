import { describe, expect, it } from "vitest";
import { createLeadBodySchema, leadFormSchema, listLeadsQuerySchema, updateLeadsBodySchema } from "@/lib/leads/schemas";

const parse = (body: unknown) => updateLeadsBodySchema.safeParse(body);

describe("updateLeadsBodySchema: identifiers", () => {
  it("uses only the highest-priority identifier present", () => {
    expect(parse({ id: "lead_1", email: "a@b.co", phone: "+14155552671" }).data?.match).toEqual({ by: "id", id: "lead_1" });
    expect(parse({ email: "A@B.co", phone: "+14155552671" }).data?.match).toEqual({ by: "email", email: "a@b.co" });
    expect(parse({ phone: "+14155552671" }).data?.match).toEqual({ by: "phone", phone: "+14155552671" });
  });

  it("counts blank strings and null as absent", () => {
    expect(parse({ id: "  ", email: "", phone: "a@b.co" }).success).toBe(true);
    expect(parse({ id: "", email: " a@b.co " }).data?.match).toEqual({ by: "email", email: "a@b.co" });
    expect(parse({ id: null, email: "a@b.co" }).data?.match.by).toBe("email");
    const none = parse({ id: " ", email: "", phone: "\t", status: "won" });
    expect(none.success).toBe(false);
    expect(none.error?.issues[0]?.message).toMatch(/At least one of id, email or phone/);
  });

  it("refuses a malformed e-mail used for matching", () => {
    const result = parse({ email: "not-an-email" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["email"]);
  });

  it("accepts a phone sent as a JSON number", () => {
    expect(parse({ phone: 14155552671 }).data?.match).toEqual({ by: "phone", phone: "14155552671" });
  });
});

describe("updateLeadsBodySchema: status and changedTo", () => {
  it("accepts upper case", () => {
    expect(parse({ id: "x", status: "LOST" }).data?.changes.status).toBe("lost");
  });
  it("takes changedTo as a legacy alias", () => {
    expect(parse({ id: "x", changedTo: "Won" }).data?.changes.status).toBe("won");
  });
  it("lets status win and ignores changedTo entirely when both are present", () => {
    expect(parse({ id: "x", status: "qualified", changedTo: "won" }).data?.changes.status).toBe("qualified");
    expect(parse({ id: "x", status: "won", changedTo: "bogus" }).data?.changes.status).toBe("won");
  });
  it("refuses other values and lists the allowed ones", () => {
    for (const body of [{ id: "x", status: "open" }, { id: "x", changedTo: "closed" }, { id: "x", status: 3 }]) {
      const result = parse(body);
      expect(result.success).toBe(false);
      const issue = result.error?.issues[0];
      expect(issue?.code).toBe("invalid_value");
      expect(issue && "values" in issue ? issue.values : []).toEqual(["qualified", "won", "lost"]);
    }
  });
});

describe("updateLeadsBodySchema: other fields", () => {
  it("trims the note and ignores an empty one", () => {
    expect(parse({ id: "x", note: "  hello  " }).data?.changes.note).toBe("hello");
    expect(parse({ id: "x", note: "   " }).data?.changes).toEqual({});
  });
  it("refuses a note over 10,000 characters", () => {
    expect(parse({ id: "x", note: "a".repeat(10_000) }).success).toBe(true);
    expect(parse({ id: "x", note: "a".repeat(10_001) }).success).toBe(false);
  });
  it("refuses a loss reason over 500 characters", () => {
    expect(parse({ id: "x", lossReason: "a".repeat(500) }).success).toBe(true);
    expect(parse({ id: "x", lossReason: "a".repeat(501) }).success).toBe(false);
  });
  it("parses value and keeps null as 'clear'", () => {
    expect(parse({ id: "x", value: "1200.5" }).data?.changes.value).toBe("1200.50");
    expect(parse({ id: "x", value: null }).data?.changes).toEqual({ value: null });
    expect(parse({ id: "x", value: "" }).success).toBe(false);
  });
  it("drops unknown fields", () => {
    const result = parse({ id: "x", organizationId: "org_other", emailNormalized: "x@y.z", version: 99 });
    expect(result.data).toEqual({ match: { by: "id", id: "x" }, changes: {} });
  });
});

describe("createLeadBodySchema", () => {
  it("needs one of name, email or phone", () => {
    expect(createLeadBodySchema.safeParse({ company: "Acme" }).success).toBe(false);
    expect(createLeadBodySchema.safeParse({ name: "Ada" }).success).toBe(true);
  });
  it("accepts open and defaults to no status (the service makes it open)", () => {
    expect(createLeadBodySchema.safeParse({ name: "Ada", status: "OPEN" }).data?.status).toBe("open");
    expect(createLeadBodySchema.safeParse({ name: "Ada" }).data?.status).toBeUndefined();
  });
  it("refuses a malformed e-mail", () => {
    expect(createLeadBodySchema.safeParse({ email: "nope" }).success).toBe(false);
  });
});

describe("leadFormSchema", () => {
  it("treats an empty value field as 'no value' and allows reopening", () => {
    const result = leadFormSchema.safeParse({ leadId: "lead_1", expectedVersion: "3", status: "open", value: "" });
    expect(result.data).toMatchObject({ leadId: "lead_1", expectedVersion: 3, status: "open", value: null });
  });
  it("shows the API's value errors", () => {
    const result = leadFormSchema.safeParse({ leadId: "lead_1", expectedVersion: "1", value: "5,000" });
    expect(result.error?.issues[0]?.path).toEqual(["value"]);
  });
});

describe("listLeadsQuerySchema", () => {
  it("has defaults", () => {
    const parsed = listLeadsQuerySchema.parse({});
    expect(parsed).toMatchObject({ limit: 50, sort: { field: "createdAt", direction: "desc" } });
    expect(parsed.page).toBeUndefined();
    expect(parsed.cursor).toBeUndefined();
  });
  it("bounds page depth to 10,000 leads and refuses page with cursor", () => {
    expect(listLeadsQuerySchema.safeParse({ page: "100", limit: "100" }).success).toBe(true);
    const deep = listLeadsQuerySchema.safeParse({ page: "101", limit: "100" });
    expect(deep.success).toBe(false);
    expect(deep.error?.issues[0]).toMatchObject({ path: ["page"], message: expect.stringMatching(/cursor/) });
    expect(listLeadsQuerySchema.safeParse({ page: "201" }).success).toBe(false);
    expect(listLeadsQuerySchema.safeParse({ page: "2", cursor: "abc" }).success).toBe(false);
  });
  it("caps the limit at 100 and validates sort", () => {
    expect(listLeadsQuerySchema.safeParse({ limit: "101" }).success).toBe(false);
    expect(listLeadsQuerySchema.safeParse({ sort: "password:asc" }).success).toBe(false);
    expect(listLeadsQuerySchema.parse({ sort: "value:asc", status: "won,LOST" })).toMatchObject({
      sort: { field: "value", direction: "asc" },
      status: ["won", "lost"],
    });
  });
});
