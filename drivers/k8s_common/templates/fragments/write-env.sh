#!/bin/bash
# First part of shell user data: store this node's settings. Heat replaces
# the marker lines below with KEY=value lines; quoted here-documents keep the
# values literal. bootstrap.sh follows and reads these files.
set -euo pipefail
mkdir -p /etc/magnum /var/lib/magnum
cat > /etc/magnum/cluster.env <<'MAGNUM_ENV_END'
@@NODE_ENV@@
MAGNUM_ENV_END
cat > /etc/magnum/node.env <<'MAGNUM_ENV_END'
@@NODE_VARS@@
MAGNUM_ENV_END
touch /etc/magnum/secrets.env
chmod 0600 /etc/magnum/secrets.env
cat > /etc/magnum/secrets.env <<'MAGNUM_ENV_END'
@@NODE_SECRETS@@
MAGNUM_ENV_END
