#!/bin/bash
# Second part of swarm user data: store the shared node functions (the
# Kubernetes bootstrap, sourced as a library) where swarm-bootstrap.sh
# reads them. Heat replaces the marker line; the quoted here-document keeps
# the script literal.
set -euo pipefail
mkdir -p /usr/local/lib/magnum
cat > /usr/local/lib/magnum/node-lib.sh <<'MAGNUM_LIBRARY_END'
@@LIBRARY@@
MAGNUM_LIBRARY_END
