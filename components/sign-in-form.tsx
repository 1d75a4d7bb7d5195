"use client";

import type { Route } from "next";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field, FormAlert } from "@/components/ui/field";
import { buttonPrimary, inputClass } from "@/components/ui/styles";

/** What the form says about a failed sign-in; a limited attempt never tells whether the account exists. */
function signInErrorMessage(error: string | null, status: number): string {
  if (error === "RateLimited" || status === 429) return "Too many sign-in attempts. Wait a few minutes, then try again.";
  if (error === "CredentialsSignin" || error === null) return "The e-mail or password is incorrect.";
  return "Signing in failed. Try again.";
}

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    startTransition(async () => {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!result || result.error) {
        setError(signInErrorMessage(result?.error ?? null, result?.status ?? 0));
        return;
      }
      router.replace(callbackUrl as Route);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate aria-describedby={error ? "sign-in-error" : undefined}>
      <div id="sign-in-error">
        {error ? <FormAlert title={error} /> : null}
      </div>
      <Field id="email" label="E-mail">
        {(control) => <input {...control} name="email" type="email" autoComplete="username" required autoFocus className={inputClass(false)} />}
      </Field>
      <Field id="password" label="Password">
        {(control) => (
          <input {...control} name="password" type="password" autoComplete="current-password" required className={inputClass(false)} />
        )}
      </Field>
      <button type="submit" className={`${buttonPrimary} w-full`} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
