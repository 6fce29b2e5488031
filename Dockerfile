# The service image: Node 24 on Debian slim, production dependencies only, non-root.
# Node runs the TypeScript sources directly (type stripping), so there is no build stage
# for the code, only one for the dependencies.

FROM node:24-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev: no compiler, linter, test runner, nor the `node` package (the image has Node 24).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
# The image's unprivileged user; nothing here needs root.
USER node
EXPOSE 3000
# The slim image has no curl: node checks liveness itself.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, for the graceful shutdown.
CMD ["node", "--import", "./src/core/preload.ts", "./src/main.ts"]
