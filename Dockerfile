# syntax=docker/dockerfile:1
# precision-benefit-hooks — multi-stage image.
#   docker build -t precision-benefit-hooks .
#   docker run -p 8080:8080 -e PBH_PSEUDONYM_KEY=... -e PBH_TRUSTED_ISSUERS='[...]' precision-benefit-hooks
# See docs/operations.md for every variable. Override the base with --build-arg NODE_IMAGE=node:24-bookworm-slim.
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: full dependency tree, TypeScript compile -------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# src imports profiles/benefit-policy.schema.json and terminology/genes/index.json (resolveJsonModule):
# tsc needs them and emits them into dist/
COPY profiles ./profiles
COPY terminology ./terminology
RUN npm run build

# ---- deps: production dependencies only (the build stage's tree minus dev dependencies: nothing is
# downloaded twice) -----------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY --from=build /app/node_modules ./node_modules
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
 && find node_modules -mindepth 1 -maxdepth 1 -type d -empty -delete

# ---- runtime ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PBH_PROFILE=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    LOG_LEVEL=info \
    PBH_DATA_DIR=/app/data \
    PBH_AUDIT_JOURNAL_DIR=/var/lib/pbh/audit-journal
WORKDIR /app
# The built-in unprivileged "node" user (uid 1000) owns nothing but the embedded store's data directory;
# code and data tables stay root-owned and read-only to the process.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json openapi.yaml ./
# Data beside code, resolved from the project root at run time (src/paths.ts).
COPY hooks ./hooks
COPY terminology ./terminology
COPY profiles ./profiles
COPY plans ./plans
COPY public ./public
COPY examples ./examples
COPY messages ./messages
# SQL migrations are read from src/store/migrations at start-up (src/store/migrate.ts); nothing else of src/.
COPY --from=build /app/src/store/migrations ./src/store/migrations
RUN mkdir -p /app/data /var/lib/pbh/audit-journal && chown node:node /app/data /var/lib/pbh /var/lib/pbh/audit-journal
# the audit journal must be writable even with a read-only root filesystem, and outlive the container:
# a volume (anonymous unless the runtime mounts one; compose and k8s do)
VOLUME ["/var/lib/pbh"]
USER node
EXPOSE 8080
# slim images have no curl: probe with node itself. The server answers /healthz without touching the store.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec form: node is PID 1 and receives SIGTERM directly (graceful drain via close-with-grace).
# (The V8 heap-growth setting that keeps RSS down under load is applied by src/server.ts itself, so the
# container, `npm start` and the benchmark run the same process; docs/store.md has the measurements.)
CMD ["node", "dist/src/server.js"]
