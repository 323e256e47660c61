#!/bin/sh
# Production secrets come from /etc/monolith/env, written by the config agent.
set -e
. /etc/monolith/env
: "${JWT_SECRET:?JWT_SECRET is not set}"
: "${SECRET_KEY:?SECRET_KEY is not set}"
exec java -Dconfig.dir=/opt/monolith/conf -jar /opt/monolith/monolith.jar
