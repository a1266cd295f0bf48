#!/bin/bash
# First part of swarm user data: store the shared node functions (the
# Kubernetes bootstrap, sourced as a library) where swarm-bootstrap.sh reads
# them. Heat replaces the marker line; the quoted here-document keeps the
# script literal. The Kubernetes userdata.sh follows: it writes the settings
# and swarm-bootstrap.sh, and runs it.
set -euo pipefail
mkdir -p /var/lib/magnum
cat > /var/lib/magnum/node-lib.sh <<'MAGNUM_LIBRARY_END'
@@LIBRARY@@
MAGNUM_LIBRARY_END
