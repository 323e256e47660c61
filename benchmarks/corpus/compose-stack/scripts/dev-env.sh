#!/usr/bin/env bash
# Source this file to run the services outside docker:  . scripts/dev-env.sh
set -euo pipefail

export NODE_ENV=development
export DATABASE_URL="postgres://auth:auth@localhost:5432/auth"
export JWT_SECRET="localdev"
export TOKEN_SECRET="$(openssl rand -hex 32)"
export JWT_EXPIRES_IN=15m

echo "dev environment ready (JWT_SECRET length: ${#JWT_SECRET})"
