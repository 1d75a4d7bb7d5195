import type { Metadata } from "next";
import { getCountries } from "libphonenumber-js";
import { OrganizationSettings, type Option } from "@/components/settings/organization-settings";
import { requireAdmin } from "@/lib/auth/session";
import { getOrganizationSettings, toOrganizationSettingsDto } from "@/lib/organizations/organizations";

export const metadata: Metadata = { title: "Organization settings" };

function countryOptions(): Option[] {
  const names = new Intl.DisplayNames(["en"], { type: "region" });
  return getCountries()
    .map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

function currencyOptions(): Option[] {
  const names = new Intl.DisplayNames(["en"], { type: "currency" });
  return Intl.supportedValuesOf("currency").map((code) => ({ value: code, label: `${code} – ${names.of(code) ?? code}` }));
}

export default async function OrganizationSettingsPage() {
  const admin = await requireAdmin();
  const settings = toOrganizationSettingsDto(await getOrganizationSettings(admin.organization.id));
  return <OrganizationSettings initial={settings} countries={countryOptions()} currencies={currencyOptions()} />;
}
