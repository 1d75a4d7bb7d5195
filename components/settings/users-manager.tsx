"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ApiError, apiRequest } from "@/components/api-client";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, FormAlert } from "@/components/ui/field";
import { buttonDanger, buttonPrimary, buttonSecondary, cardClass, inputClass } from "@/components/ui/styles";
import type { RoleValue, UserDto } from "@/lib/users/users";

const QUERY_KEY = ["settings", "users"] as const;

const ROLE_LABELS: Record<RoleValue, string> = { admin: "Admin", sales: "Salesperson" };

const EMPTY_USER = { name: "", email: "", role: "sales" as RoleValue, password: "" };

type AccessChange = { user: UserDto; role?: RoleValue; active?: boolean };

function AddUserForm() {
  const queryClient = useQueryClient();
  const id = useId();
  const [values, setValues] = useState(EMPTY_USER);
  const [errors, setErrors] = useState<Partial<Record<string, string[]>>>({});
  const [message, setMessage] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (input: typeof EMPTY_USER) => apiRequest<UserDto>("POST", "/api/settings/users", input),
    onSuccess: (user) => {
      toast.success(`${user.name} can now sign in as ${ROLE_LABELS[user.role].toLowerCase()}`);
      setValues(EMPTY_USER);
      void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "VALIDATION_ERROR") setErrors(error.fieldErrors());
      else if (error instanceof ApiError && error.code === "CONFLICT") setErrors({ email: ["is already used by another user"] });
      else setMessage(error.message);
    },
  });
  const set = (field: keyof typeof EMPTY_USER) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));

  return (
    <form
      noValidate
      aria-labelledby={`${id}-heading`}
      className={`${cardClass} space-y-4 p-5`}
      onSubmit={(event) => {
        event.preventDefault();
        setErrors({});
        setMessage(null);
        add.mutate(values);
      }}
    >
      <h2 id={`${id}-heading`} className="text-base font-semibold text-slate-900">
        Add a user
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${id}-name`} label="Name" errors={errors.name}>
          {(control) => <input {...control} className={inputClass(Boolean(errors.name))} value={values.name} onChange={set("name")} autoComplete="off" />}
        </Field>
        <Field id={`${id}-email`} label="E-mail" errors={errors.email}>
          {(control) => (
            <input {...control} type="email" className={inputClass(Boolean(errors.email))} value={values.email} onChange={set("email")} autoComplete="off" />
          )}
        </Field>
        <Field id={`${id}-role`} label="Role" errors={errors.role}>
          {(control) => (
            <select {...control} className={inputClass(Boolean(errors.role))} value={values.role} onChange={set("role")}>
              <option value="sales">Salesperson</option>
              <option value="admin">Admin</option>
            </select>
          )}
        </Field>
        <Field id={`${id}-password`} label="Initial password" hint="At least 8 characters. Share it with the user privately." errors={errors.password}>
          {(control) => (
            <input
              {...control}
              type="password"
              className={inputClass(Boolean(errors.password))}
              value={values.password}
              onChange={set("password")}
              autoComplete="new-password"
            />
          )}
        </Field>
      </div>
      {message ? <FormAlert title="The user was not added">{message}</FormAlert> : null}
      <button type="submit" className={buttonPrimary} disabled={add.isPending} aria-busy={add.isPending || undefined}>
        {add.isPending ? "Adding…" : "Add user"}
      </button>
    </form>
  );
}

/** Users of the organization: add, change a role, deactivate or reactivate. The last active admin stays. */
export function UsersManager({ initial, currentUserId }: { initial: UserDto[]; currentUserId: string }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [deactivating, setDeactivating] = useState<UserDto | null>(null);
  const { data: users } = useQuery({
    queryKey: QUERY_KEY,
    queryFn: ({ signal }) => apiRequest<UserDto[]>("GET", "/api/settings/users", undefined, signal),
    initialData: initial,
  });
  const change = useMutation({
    mutationFn: ({ user, role, active }: AccessChange) => apiRequest<UserDto>("PATCH", `/api/settings/users/${user.id}`, { role, active }),
    onSuccess: (user, { role, active }) => {
      setDeactivating(null);
      if (role !== undefined) toast.success(`${user.name} is now ${ROLE_LABELS[user.role].toLowerCase()}`);
      else toast.success(active ? `${user.name} can sign in again` : `${user.name} is deactivated and signed out`);
      void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
    onError: (error) => {
      setDeactivating(null);
      toast.error(error.message);
      void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
  });
  const activeAdmins = users.filter((u) => u.role === "admin" && u.active).length;

  return (
    <div className="space-y-6">
      <section aria-labelledby={`${id}-list`} className={cardClass}>
        <h2 id={`${id}-list`} className="border-b border-slate-200 px-5 py-4 text-base font-semibold text-slate-900">
          Users
        </h2>
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">Name</th>
                <th scope="col" className="px-5 py-2 font-medium">E-mail</th>
                <th scope="col" className="px-5 py-2 font-medium">Role</th>
                <th scope="col" className="px-5 py-2 font-medium">Status</th>
                <th scope="col" className="px-5 py-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((user) => {
                const lastAdmin = user.role === "admin" && user.active && activeAdmins <= 1;
                const noteId = `${id}-${user.id}-last-admin`;
                const pending = change.isPending && change.variables?.user.id === user.id;
                return (
                  <tr key={user.id} data-testid={`user-row-${user.email}`}>
                    <th scope="row" className="px-5 py-3 text-left font-medium text-slate-900">
                      {user.name}
                      {user.id === currentUserId ? <span className="ml-1 font-normal text-slate-600">(you)</span> : null}
                      {lastAdmin ? (
                        <p id={noteId} className="mt-1 max-w-xs text-xs font-normal text-slate-600">
                          The last active admin cannot be demoted or deactivated: make another user an admin first.
                        </p>
                      ) : null}
                    </th>
                    <td className="px-5 py-3 text-slate-700">{user.email}</td>
                    <td className="px-5 py-3">
                      <label htmlFor={`${id}-${user.id}-role`} className="sr-only">
                        Role of {user.name}
                      </label>
                      <select
                        id={`${id}-${user.id}-role`}
                        className={`${inputClass()} w-36`}
                        value={user.role}
                        disabled={lastAdmin || pending || !user.active}
                        aria-describedby={lastAdmin ? noteId : undefined}
                        onChange={(e) => change.mutate({ user, role: e.target.value as RoleValue })}
                      >
                        <option value="sales">Salesperson</option>
                        <option value="admin">Admin</option>
                      </select>
                    </td>
                    <td className="px-5 py-3">
                      {user.active ? (
                        <span className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800">Active</span>
                      ) : (
                        <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-800">Deactivated</span>
                      )}
                    </td>
                    <td className="px-5 py-3 text-right">
                      {user.active ? (
                        <button
                          type="button"
                          className={buttonSecondary}
                          disabled={lastAdmin || pending}
                          aria-describedby={lastAdmin ? noteId : undefined}
                          aria-label={`Deactivate ${user.name}`}
                          onClick={() => setDeactivating(user)}
                        >
                          Deactivate
                        </button>
                      ) : (
                        <button
                          type="button"
                          className={buttonSecondary}
                          disabled={pending}
                          aria-label={`Reactivate ${user.name}`}
                          onClick={() => change.mutate({ user, active: true })}
                        >
                          Reactivate
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <AddUserForm />

      <ConfirmDialog
        open={deactivating !== null}
        title={`Deactivate ${deactivating?.name ?? ""}?`}
        confirmLabel="Deactivate"
        confirmClassName={buttonDanger}
        pending={change.isPending}
        onCancel={() => setDeactivating(null)}
        onConfirm={() => deactivating && change.mutate({ user: deactivating, active: false })}
      >
        They are signed out everywhere at once and cannot sign in until reactivated. Their notes and history stay.
      </ConfirmDialog>
    </div>
  );
}
