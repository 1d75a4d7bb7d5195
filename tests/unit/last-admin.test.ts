import { describe, expect, it } from "vitest";
import { removesLastAdmin } from "@/lib/users/users";

describe("removesLastAdmin", () => {
  const admin = { role: "admin" as const, active: true };

  it("catches demoting or deactivating the only active admin", () => {
    expect(removesLastAdmin(admin, { role: "sales" }, 1)).toBe(true);
    expect(removesLastAdmin(admin, { active: false }, 1)).toBe(true);
    expect(removesLastAdmin(admin, { role: "sales", active: true }, 1)).toBe(true);
  });

  it("allows it when another active admin remains", () => {
    expect(removesLastAdmin(admin, { role: "sales" }, 2)).toBe(false);
    expect(removesLastAdmin(admin, { active: false }, 2)).toBe(false);
  });

  it("allows changes that keep the admin active", () => {
    expect(removesLastAdmin(admin, { role: "admin" }, 1)).toBe(false);
    expect(removesLastAdmin(admin, { active: true }, 1)).toBe(false);
  });

  it("ignores users who are not active admins", () => {
    expect(removesLastAdmin({ role: "sales", active: true }, { active: false }, 1)).toBe(false);
    expect(removesLastAdmin({ role: "admin", active: false }, { role: "sales" }, 1)).toBe(false);
  });
});
