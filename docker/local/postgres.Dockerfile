# PostgreSQL 15 from Debian bookworm on the locally made base (docker/local/base-images.sh): a stand-in
# for the public postgres image with its environment contract — POSTGRES_USER (default postgres),
# POSTGRES_PASSWORD (empty: trust), POSTGRES_DB (default: the user) — plus PGPORT (default 5432), since
# containers here share the host network and 5432 may be taken.
ARG BASE=pbh-local/debian:bookworm
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && mkdir -p /var/lib/postgresql/data && chown postgres:postgres /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data PGPORT=5432
USER postgres
HEALTHCHECK --interval=1s --timeout=3s --retries=30 CMD ["sh", "-c", "pg_isready -q -h 127.0.0.1 -p \"$PGPORT\" -U \"${POSTGRES_USER:-postgres}\""]
ENTRYPOINT ["sh", "/usr/local/bin/postgres-entrypoint.sh"]
