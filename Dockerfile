# Multi-stage build: a static flywheel binary on a minimal non-root image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/flywheel ./cmd/flywheel \
 && mkdir -p /out/data/backups

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/flywheel /usr/local/bin/flywheel
# /data and /data/backups belong to the nonroot user (65532), who runs the
# bot: set backup.dir to /data/backups and the copies land on the volume.
COPY --from=build --chown=65532:65532 /out/data /data
# The database lives on a volume so it survives upgrades; time zones are
# compiled into the binary (time/tzdata), so the image needs no tzdata.
# Inside a container the listener must bind all interfaces to be reachable
# from the host or orchestrator; publish the port only to trusted networks.
ENV FLYWHEEL_DB=/data/flywheel.db \
    FLYWHEEL_HTTP_ADDR=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/flywheel", "run"]
