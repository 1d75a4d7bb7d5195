import fs from "node:fs";
import path from "node:path";

/** The app's API route files (app/api/…/route.ts): each one's path segments under /api and its source. */
export function apiRouteFiles(): { segments: string[]; source: string }[] {
  const root = path.resolve(import.meta.dirname, "../../app/api");
  const found: { segments: string[]; source: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const relative = path.relative(root, dir);
        found.push({ segments: relative ? relative.split(path.sep) : [], source: fs.readFileSync(full, "utf8") });
      }
    }
  };
  walk(root);
  return found;
}
