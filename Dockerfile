# syntax=docker/dockerfile:1
# Leadline production image: the Next.js standalone server, the migrations and their runner.
# No Prisma CLI or schema engine at run time: the server applies pending migrations itself at
# start (LEADLINE_MIGRATE_ON_START=true), under a PostgreSQL advisory lock, so several instances
# can start together. See docs/deploy.md.
#
#   docker build -t leadline .
#   docker run -e DATABASE_URL=postgresql://... -e NEXTAUTH_SECRET=... -e NEXTAUTH_URL=https://... -p 3000:3000 leadline

ARG NODE_IMAGE=node:20-bookworm-slim

# --- 1. Dependencies (dev dependencies included: the build needs them)
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- 2. Build: Prisma client, then `next build` with standalone output
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 LEADLINE_STANDALONE_BUILD=true
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npx prisma generate && npx next build

# --- 3. Run: only the standalone server, its static files and the migrations, as a non-root user
FROM ${NODE_IMAGE} AS run
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    LEADLINE_MIGRATE_ON_START=true \
    LEADLINE_SEED_DEMO=false \
    LEADLINE_SHUTDOWN_TIMEOUT_MS=25000
RUN groupadd --system --gid 1001 leadline && useradd --system --uid 1001 --gid leadline --no-create-home leadline
COPY --from=build --chown=leadline:leadline /app/.next/standalone ./
COPY --from=build --chown=leadline:leadline /app/.next/static ./.next/static
COPY --from=build --chown=leadline:leadline /app/prisma/migrations ./prisma/migrations
USER leadline
EXPOSE 3000
# Liveness only (no database): an outage of PostgreSQL must not get healthy containers restarted.
# Load balancers should route on /api/ready instead.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: stop accepting, finish requests in flight (up to LEADLINE_SHUTDOWN_TIMEOUT_MS), drain
# the job worker, close the pools. Give the container a little longer than that to stop.
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
