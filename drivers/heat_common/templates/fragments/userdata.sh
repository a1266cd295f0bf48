#!/bin/bash
# Shell user data: store this node's settings and the bootstrap script, then
# run it. Heat replaces the marker lines below with KEY=value lines and with
# bootstrap.sh; quoted here-documents keep them literal. The script stays on
# the node because a timer runs it again to follow CA rotations.
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
cat > /var/lib/magnum/bootstrap.sh <<'MAGNUM_BOOTSTRAP_END'
@@BOOTSTRAP@@
MAGNUM_BOOTSTRAP_END
chmod 0755 /var/lib/magnum/bootstrap.sh
exec /var/lib/magnum/bootstrap.sh
