/**
 * `npm run admin -- <command>`: bootstrap and administer an installation from the shell. Works
 * whether the app runs or not (it reuses a running embedded PostgreSQL). Calls the same services
 * as the app.
 */
import "./lib/server-side";
import { parseArgs } from "node:util";
import { generatePrismaClient } from "./lib/build";
import type { Database } from "@/lib/db/bootstrap";

generatePrismaClient();
const { createApiKey, revokeApiKey } = await import("@/lib/api-keys/api-keys");
const { openDatabase } = await import("@/lib/db/bootstrap");
const { disconnectPrisma } = await import("@/lib/db/client");
const { AppError } = await import("@/lib/errors");
const { createOrganization, getOrganizationBySlugOrThrow, updateOrganizationSettings } = await import("@/lib/organizations/organizations");
const { createUser, setUserPassword } = await import("@/lib/users/users");

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-org       --name <name> [--slug <slug>]            Prints the slug.
  create-user      --org <slug> --email <e> --role admin|sales [--name <name>] [--password-stdin]
  set-password     --email <e> [--password-stdin]             Sets a user's password; their sessions end.
  create-api-key   --org <slug> --name <name>                Prints the key as the last line (shown only once).
  revoke-api-key   --org <slug> --name <name>
  set-bulk-updates --org <slug> --on|--off
  add-webhook      --org <slug> --url <https url> --events <type,...> [--statuses won,...] [--description <text>]
                   Events: lead.created, lead.updated, lead.status_changed, lead.note_added.
                   Prints the endpoint id, then the signing secret as the last line (shown only once).
  list-webhooks    --org <slug>                               One line per endpoint: id, state, URL, events.

Passwords are never taken on the command line (shells keep history, other users see
process lists): with --password-stdin the first line of standard input is the password
(e.g. printf '%s\n' "$PASSWORD" | npm run admin -- set-password --email … --password-stdin);
without it, an interactive terminal prompts for it.
`;

class UsageError extends Error {}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
}

const OPTIONS = {
  name: { type: "string" },
  slug: { type: "string" },
  org: { type: "string" },
  email: { type: "string" },
  password: { type: "string" },
  "password-stdin": { type: "boolean" },
  role: { type: "string" },
  on: { type: "boolean" },
  off: { type: "boolean" },
  url: { type: "string" },
  events: { type: "string" },
  statuses: { type: "string" },
  description: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The first line of standard input. */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

/** Asks on the terminal without echoing what is typed. */
async function promptHidden(question: string): Promise<string> {
  const { createInterface } = await import("node:readline");
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  let asked = false;
  output._writeToOutput = (text: string) => {
    if (!asked) process.stderr.write(text);
  };
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
    asked = true;
  });
}

/** The password of create-user and set-password: standard input or a prompt, never an argument. */
async function readPassword(values: Record<string, string | boolean | undefined>): Promise<string> {
  if (values.password !== undefined) {
    throw new UsageError("--password is not accepted on the command line: use --password-stdin, or run in a terminal to be prompted");
  }
  if (values["password-stdin"]) return readStdinLine();
  if (!process.stdin.isTTY) throw new UsageError("give the password with --password-stdin (no terminal to prompt on)");
  const first = await promptHidden("Password: ");
  const second = await promptHidden("Repeat the password: ");
  if (first !== second) throw new UsageError("the two passwords differ");
  return first;
}

async function runCommand(command: string, values: Record<string, string | boolean | undefined>): Promise<void> {
  switch (command) {
    case "create-org": {
      const organization = await createOrganization({ name: required(values, "name"), slug: values.slug as string | undefined });
      console.log(organization.slug);
      return;
    }
    case "create-user": {
      const organization = await getOrganizationBySlugOrThrow(required(values, "org"));
      const email = required(values, "email");
      const role = required(values, "role");
      if (role !== "admin" && role !== "sales") throw new UsageError("--role must be admin or sales");
      const user = await createUser(organization.id, {
        name: (values.name as string | undefined) ?? email.split("@")[0] ?? email,
        email,
        password: await readPassword(values),
        role,
      });
      console.log(`Created ${user.role} ${user.email} in ${organization.slug}`);
      return;
    }
    case "set-password": {
      const user = await setUserPassword(required(values, "email"), await readPassword(values));
      console.log(`Set the password of ${user.email}; their open sessions have ended`);
      return;
    }
    case "create-api-key": {
      const organization = await getOrganizationBySlugOrThrow(required(values, "org"));
      const { apiKey, plaintext } = await createApiKey({ organizationId: organization.id, name: required(values, "name"), createdById: null });
      console.log(`Created API key "${apiKey.name}" for ${organization.slug}. Store it now: it is not shown again.`);
      console.log(plaintext);
      return;
    }
    case "revoke-api-key": {
      const organization = await getOrganizationBySlugOrThrow(required(values, "org"));
      const apiKey = await revokeApiKey(organization.id, { name: required(values, "name") });
      console.log(`Revoked API key "${apiKey.name}" (…${apiKey.suffix}) of ${organization.slug}`);
      return;
    }
    case "set-bulk-updates": {
      if (values.on === values.off) throw new UsageError("give exactly one of --on or --off");
      const organization = await getOrganizationBySlugOrThrow(required(values, "org"));
      await updateOrganizationSettings(organization.id, { allowBulkUpdates: values.on === true }, null);
      console.log(`Bulk updates are now ${values.on ? "on" : "off"} for ${organization.slug}`);
      return;
    }
    case "add-webhook": {
      // Loaded only for the webhook commands: they bring the job queue's modules, which the others do not need.
      const { createWebhookEndpoint } = await import("@/lib/webhooks/endpoints");
      const { createWebhookEndpointSchema } = await import("@/lib/webhooks/schemas");
      const { parseWith } = await import("@/lib/validation");
      const organization = await getOrganizationBySlugOrThrow(required(values, "org"));
      const list = (name: string) => (typeof values[name] === "string" ? (values[name] as string).split(",").map((v) => v.trim()).filter(Boolean) : undefined);
      const input = parseWith(createWebhookEndpointSchema, {
        url: required(values, "url"),
        description: values.description,
        events: list("events") ?? [],
        statuses: list("statuses"),
      });
      const { endpoint, secret } = await createWebhookEndpoint(organization.id, input, null);
      console.log(`Added webhook endpoint ${endpoint.id} (${endpoint.url}) for ${organization.slug}: ${endpoint.events.join(", ")}. Store the signing secret now: it is not shown again.`);
      console.log(secret);
      return;
    }
    case "list-webhooks": {
      const { listWebhookEndpoints } = await import("@/lib/webhooks/endpoints");
      const organization = await getOrganizationBySlugOrThrow(required(values, "org"));
      const endpoints = await listWebhookEndpoints(organization.id);
      if (endpoints.length === 0) console.log(`No webhook endpoints in ${organization.slug}`);
      for (const e of endpoints) {
        const filter = e.statuses.length > 0 ? ` (status: ${e.statuses.join(",")})` : "";
        const state = e.enabled ? "enabled" : `disabled: ${e.disabledReason ?? ""}`;
        console.log(`${e.id}\t${state}\t${e.url}\t${e.events.join(",")}${filter}`);
      }
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}"` : "No command given");
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const [command = ""] = parsed.positionals;
  if (parsed.values.help || command === "help") {
    console.log(USAGE);
    return 0;
  }
  let database: Database | undefined;
  try {
    database = await openDatabase({ log: (line) => console.error(line) });
    await runCommand(command, parsed.values);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`Error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof AppError) {
      const issues = (error.details as { issues?: { field: string; message: string }[] } | undefined)?.issues;
      const detail = issues && issues.length > 1 ? `\n${issues.map((i) => `  ${i.field}: ${i.message}`).join("\n")}` : "";
      console.error(`Error: ${error.message}${detail}`);
      return 1;
    }
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await disconnectPrisma();
    await database?.stop();
  }
}

main().then((code) => process.exit(code));
