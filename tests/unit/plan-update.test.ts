import { describe, expect, it } from "vitest";
import { planLeadUpdate, type LeadState } from "@/lib/leads/plan-update";
import { Decimal } from "@/lib/leads/store/record";

const now = new Date("2026-11-26T12:00:00Z");
const earlier = new Date("2026-10-01T12:00:00Z");
const open: LeadState = { status: "open", value: null, lossReason: null, qualifiedAt: null };

describe("planLeadUpdate", () => {
  it("stamps qualifiedAt when a lead goes straight to won", () => {
    const { data, diff } = planLeadUpdate(open, { status: "won" }, now);
    expect(data).toEqual({ status: "won", wonAt: now, qualifiedAt: now });
    expect(diff).toEqual({ status: { from: "open", to: "won" } });
  });

  it("keeps an existing qualifiedAt when winning a qualified lead", () => {
    const { data } = planLeadUpdate({ ...open, status: "qualified", qualifiedAt: earlier }, { status: "won" }, now);
    expect(data).toEqual({ status: "won", wonAt: now });
  });

  it("re-stamps the time a lead last entered a status", () => {
    const { data } = planLeadUpdate({ ...open, status: "won", qualifiedAt: earlier }, { status: "qualified" }, now);
    expect(data.qualifiedAt).toEqual(now);
  });

  it("does nothing when the status does not change", () => {
    expect(planLeadUpdate({ ...open, status: "won", qualifiedAt: earlier }, { status: "won" }, now)).toEqual({ data: {}, diff: {} });
  });

  it("stores a loss reason only when the resulting status is lost", () => {
    expect(planLeadUpdate(open, { lossReason: "Too expensive" }, now)).toEqual({ data: {}, diff: {} });
    expect(planLeadUpdate(open, { status: "won", lossReason: "Too expensive" }, now).data.lossReason).toBeUndefined();
    const lost = planLeadUpdate(open, { status: "lost", lossReason: "Too expensive" }, now);
    expect(lost.data).toEqual({ status: "lost", lostAt: now, lossReason: "Too expensive" });
    expect(lost.diff.lossReason).toEqual({ from: null, to: "Too expensive" });
  });

  it("updates the reason of a lead that stays lost", () => {
    const { data } = planLeadUpdate({ ...open, status: "lost", lossReason: "A" }, { lossReason: "B" }, now);
    expect(data).toEqual({ lossReason: "B" });
  });

  it("clears the loss reason when a lead leaves lost, and records the old one", () => {
    const { data, diff } = planLeadUpdate({ ...open, status: "lost", lossReason: "No budget" }, { status: "qualified" }, now);
    expect(data.lossReason).toBeNull();
    expect(diff.lossReason).toEqual({ from: "No budget", to: null });
  });

  it("records value changes as numbers and ignores an unchanged value", () => {
    expect(planLeadUpdate({ ...open, value: new Decimal("10.00") }, { value: "12.50" }, now).diff).toEqual({ value: { from: 10, to: 12.5 } });
    expect(planLeadUpdate({ ...open, value: new Decimal("10.00") }, { value: "10.00" }, now).diff).toEqual({});
    expect(planLeadUpdate({ ...open, value: new Decimal("10") }, { value: "10.00" }, now).diff).toEqual({});
    expect(planLeadUpdate({ ...open, value: new Decimal("10.00") }, { value: null }, now).diff).toEqual({ value: { from: 10, to: null } });
  });
});
