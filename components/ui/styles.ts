/** Shared Tailwind class lists, so every button and input looks and focuses the same way. */

const focusRing =
  "focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 focus-visible:ring-offset-white";

const buttonBase = `inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-60 ${focusRing}`;

export const buttonPrimary = `${buttonBase} bg-brand-600 text-white shadow-sm hover:bg-brand-700`;
export const buttonSecondary = `${buttonBase} border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-50`;
export const buttonDanger = `${buttonBase} bg-red-700 text-white shadow-sm hover:bg-red-800`;
export const buttonGhost = `${buttonBase} text-slate-700 hover:bg-slate-100`;

export const inputBase = `block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 focus:outline-none focus:ring-2 focus:ring-brand-500 focus:border-brand-500`;

export function inputClass(invalid = false): string {
  return `${inputBase} ${invalid ? "border-red-600" : "border-slate-300"}`;
}

export const labelClass = "block text-sm font-medium text-slate-800";
export const linkClass = `rounded text-brand-700 underline-offset-2 hover:underline ${focusRing}`;
export const cardClass = "rounded-lg border border-slate-200 bg-white shadow-sm";
export { focusRing };
