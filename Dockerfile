# syntax=docker/dockerfile:1
# Multi-stage: build the web app, build a static binary that embeds it, and
# run it as a non-root user in an image that holds nothing else.

FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-fund --no-audit
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/frontend/dist ./frontend/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -tags embedui -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/linklab ./cmd/linklab \
 && mkdir -p /out/data

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/linklab /linklab
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV LINKLAB_ADDR=:8080 \
    LINKLAB_DATA_DIR=/data \
    LINKLAB_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/linklab", "healthcheck"]
ENTRYPOINT ["/linklab"]
CMD ["serve"]
