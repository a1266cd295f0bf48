#!/bin/bash
# Join this node to its Docker Swarm cluster (no argument, or "join"):
# swarm mode (COE swarm-mode) or classic Swarm (COE swarm: a manager and
# agents discovered through etcd). "rotate-ca" follows CA rotations (a
# timer runs it every minute).
#
# The node functions every COE needs (reading settings, the Keystone trust
# token, fetching the CA from GET $MAGNUM_URL/certificates/$CLUSTER_UUID and
# having CSRs signed by POST $MAGNUM_URL/certificates, proxies, volumes, CA
# rotation) are the Kubernetes bootstrap's: the user data stores that script
# as a library, and sourcing it defines its functions without running it.
# This script then redefines the few that differ for swarm (which CA, which
# certificate, what restarts).
#
# With TLS (the default) every daemon or manager port requires a client
# certificate signed by the cluster CA (--tlsverify); the API is on 2376.
# With TLS disabled the API is plain TCP on 2375 and no certificate exists.
set -euo pipefail

# shellcheck source=/dev/null
source "${MAGNUM_NODE_LIB:-/var/lib/magnum/node-lib.sh}"

# shellcheck disable=SC2034 # the library's setup_ca_rotation runs $SELF
SELF=$(readlink -f "${BASH_SOURCE[0]}")
CERT_DIR=/etc/docker/magnum
DAEMON_CONFIG=/etc/docker/daemon.json
REXRAY_DIR=/etc/rexray
AGENT_PORT=2375       # classic Swarm: where the manager reaches each agent's daemon
ETCD_PORT=2379

tls() { ! is_true "${TLS_DISABLED:-false}"; }

# retry TIMES WHY COMMAND...: run COMMAND until it succeeds, 5 s apart;
# die saying WHY after TIMES failures.
retry() {
    local times=$1 why=$2
    shift 2
    until "$@"; do
        times=$((times - 1))
        [ "$times" -gt 0 ] || die "$why"
        sleep 5
    done
}

# nonempty COMMAND...: COMMAND's output, failing when there is none.
nonempty() {
    local out
    out=$("$@") && [ -n "$out" ] && echo "$out"
}

# The manager every other node joins: the first master.
primary_manager() {
    if [ "$NODE_ROLE" = "master" ]; then
        echo "${MASTER_ADDRESSES%%,*}"
    else
        echo "$KUBE_API_ADDRESS"
    fi
}

is_primary() {
    [ "$NODE_ROLE" = "master" ] && [ "$(primary_manager)" = "$(node_ip)" ]
}

# The floating IP users reach this node at, from the metadata service (it
# may be associated a moment after boot); nothing without floating IPs.
public_address() {
    is_true "${FLOATING_IP_ENABLED:-false}" || return 0
    retry 60 "no floating IP in the metadata" nonempty \
        curl --silent --fail --max-time 5 \
        http://169.254.169.254/latest/meta-data/public-ipv4
}

# -- certificates (the library's setup_certificates and rotate_ca call these) --
fetch_cas() {
    fetch_ca cluster "$CERT_DIR/ca.crt"
}

# The node's certificate, for its daemon, the classic manager, etcd and as
# a client of the other nodes.
issue_node_certs() {
    local hostname ip extra sans
    hostname=$(hostname -s)
    ip=$(node_ip)
    sans="DNS:$hostname, IP:$ip, IP:127.0.0.1"
    for extra in "$(public_address)" "${API_LB_ADDRESS:-}" \
            "${API_LB_PRIVATE_ADDRESS:-}"; do
        [ -z "$extra" ] || sans+=", IP:$extra"
    done
    issue_cert node cluster "/CN=$hostname" "$sans"
}

# The daemon restarts its containers (etcd, flannel, classic swarm), which
# all run with --restart always.
restart_with_new_certificates() {
    systemctl restart docker
}

# tls_flags [DIR]: docker's TLS options, one a line, for this node's
# certificate as seen in DIR (default $CERT_DIR); none without TLS.
tls_flags() {
    tls || return 0
    local dir=${1:-$CERT_DIR}
    printf '%s\n' --tlsverify "--tlscacert=$dir/ca.crt" \
        "--tlscert=$dir/node.crt" "--tlskey=$dir/node.key"
}

# The TCP port this node's daemon listens on, if any: swarm-mode managers
# serve the API; classic agents serve their manager.
daemon_port() {
    case "${COE}:${NODE_ROLE}" in
        swarm-mode:master) echo "$SWARM_API_PORT" ;;
        swarm:worker) echo "$AGENT_PORT" ;;
    esac
}

# /etc/docker/daemon.json: sockets, TLS, registry and (with flannel) the
# bridge flannel leased to this node. FLANNEL_SUBNET/FLANNEL_MTU come from
# /run/flannel/subnet.env once flannel runs.
write_daemon_config() {
    local port
    port=$(daemon_port)
    mkdir -p "$(dirname "$DAEMON_CONFIG")"
    {
        echo "{"
        if [ -n "$port" ] && tls; then
            echo "  \"tls\": true, \"tlsverify\": true,"
            echo "  \"tlscacert\": \"$CERT_DIR/ca.crt\","
            echo "  \"tlscert\": \"$CERT_DIR/node.crt\", \"tlskey\": \"$CERT_DIR/node.key\","
        fi
        if [ -n "${INSECURE_REGISTRY_URL:-}" ]; then
            echo "  \"insecure-registries\": [\"$INSECURE_REGISTRY_URL\"],"
        fi
        if [ -n "${FLANNEL_SUBNET:-}" ]; then
            echo "  \"bip\": \"$FLANNEL_SUBNET\", \"mtu\": ${FLANNEL_MTU},"
        fi
        if [ -n "$port" ]; then
            echo "  \"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:$port\"]"
        else
            echo "  \"hosts\": [\"unix:///var/run/docker.sock\"]"
        fi
        echo "}"
    } > "$DAEMON_CONFIG"
}

# Fedora Atomic sets the storage driver through docker-storage-setup.
setup_storage() {
    [ -n "${DOCKER_STORAGE_DRIVER:-}" ] || return 0
    command -v docker-storage-setup > /dev/null || return 0
    echo "STORAGE_DRIVER=$DOCKER_STORAGE_DRIVER" > /etc/sysconfig/docker-storage-setup
    docker-storage-setup
}

start_docker() {
    write_daemon_config
    systemctl daemon-reload
    systemctl enable docker
    systemctl restart docker
}

# -- etcd (classic discovery and flannel's store) ----------------------------
etcd_scheme() { if tls; then echo https; else echo http; fi; }

# etcd_servers: host:port of the etcd members this node uses, comma
# separated (masters run them; other nodes use the primary's).
etcd_servers() {
    local host hosts=("${KUBE_API_ADDRESS:-}") servers=()
    [ "$NODE_ROLE" != "master" ] || IFS=, read -r -a hosts <<< "$MASTER_ADDRESSES"
    for host in "${hosts[@]}"; do
        servers+=("$host:$ETCD_PORT")
    done
    local IFS=,
    echo "${servers[*]}"
}

etcd_endpoints() {
    etcd_servers | sed "s|[^,][^,]*|$(etcd_scheme)://&|g"
}

# One etcd member per master, named after its address.
run_etcd() {
    local ip address masters=() members=() scheme
    ip=$(node_ip)
    scheme=$(etcd_scheme)
    IFS=, read -r -a masters <<< "$MASTER_ADDRESSES"
    for address in "${masters[@]}"; do
        members+=("$address=$scheme://$address:2380")
    done
    local cluster
    cluster=$(IFS=,; echo "${members[*]}")
    local security=()
    if tls; then
        security=("--cert-file=/certs/node.crt" "--key-file=/certs/node.key"
                  "--trusted-ca-file=/certs/ca.crt" --client-cert-auth
                  "--peer-cert-file=/certs/node.crt" "--peer-key-file=/certs/node.key"
                  "--peer-trusted-ca-file=/certs/ca.crt" --peer-client-cert-auth)
    fi
    docker run -d --name etcd --restart always --net host \
        -v /var/lib/etcd:/var/lib/etcd -v "$CERT_DIR:/certs:ro" \
        "$(image etcd "$ETCD_TAG" quay.io/coreos/)" etcd \
        "--name=$ip" --data-dir=/var/lib/etcd --enable-v2=true \
        "--listen-client-urls=$scheme://$ip:$ETCD_PORT,$scheme://127.0.0.1:$ETCD_PORT" \
        "--advertise-client-urls=$scheme://$ip:$ETCD_PORT" \
        "--listen-peer-urls=$scheme://$ip:2380" \
        "--initial-advertise-peer-urls=$scheme://$ip:2380" \
        "--initial-cluster=$cluster" --initial-cluster-state=new \
        "--initial-cluster-token=$CLUSTER_UUID" "${security[@]}"
}

# -- flannel (network driver "flannel") ----------------------------------------
flannel_config() {
    echo "{\"Network\": \"$FLANNEL_NETWORK_CIDR\", \"SubnetLen\": $FLANNEL_NETWORK_SUBNETLEN, \"Backend\": {\"Type\": \"$FLANNEL_BACKEND\"}}"
}

# The primary master stores the network, every node runs flanneld, and
# the daemon restarts on the subnet flannel leased it.
setup_flannel() {
    local endpoint client=()
    endpoint=$(etcd_endpoints)
    endpoint=${endpoint%%,*}
    if tls; then
        client=("--cacert=$CERT_DIR/ca.crt" "--cert=$CERT_DIR/node.crt"
                "--key=$CERT_DIR/node.key")
    fi
    if is_primary; then
        retry 60 "etcd did not take the flannel network" \
            curl --silent --fail --output /dev/null "${client[@]}" -X PUT \
            "$endpoint/v2/keys/coreos.com/network/config" \
            --data-urlencode "value=$(flannel_config)"
    fi
    local security=()
    if tls; then
        security=("--etcd-cafile=/certs/ca.crt" "--etcd-certfile=/certs/node.crt"
                  "--etcd-keyfile=/certs/node.key")
    fi
    docker run -d --name flannel --restart always --net host --privileged \
        -v /run/flannel:/run/flannel -v "$CERT_DIR:/certs:ro" \
        "$(image flannel "$FLANNEL_TAG" quay.io/coreos/)" /opt/bin/flanneld \
        --ip-masq "--etcd-endpoints=$(etcd_endpoints)" "${security[@]}"
    retry 60 "flannel leased no subnet" test -s /run/flannel/subnet.env
    load_env /run/flannel/subnet.env
    start_docker
}

# -- joining --------------------------------------------------------------------
# docker against the primary manager's API, as this node's certificate.
manager_docker() {
    local flags=()
    mapfile -t flags < <(tls_flags)
    docker -H "tcp://$(primary_manager):$SWARM_API_PORT" "${flags[@]}" "$@"
}

# join_token ROLE: asked of the primary manager until it answers.
join_token() {
    retry 120 "the primary manager gave no $1 join token" \
        nonempty manager_docker swarm join-token -q "$1"
}

setup_swarm_mode() {
    local ip role=worker
    ip=$(node_ip)
    if is_primary; then
        docker swarm init --advertise-addr "$ip" --listen-addr "$ip:2377"
        return 0
    fi
    [ "$NODE_ROLE" = "worker" ] || role=manager
    docker swarm join --token "$(join_token "$role")" --advertise-addr "$ip" \
        "$(primary_manager):2377"
}

setup_swarm_classic() {
    local ip discovery kv=() flags=()
    ip=$(node_ip)
    discovery="etcd://$(etcd_servers)/swarm"
    if tls; then
        kv=(--discovery-opt kv.cacertfile=/certs/ca.crt
            --discovery-opt kv.certfile=/certs/node.crt
            --discovery-opt kv.keyfile=/certs/node.key)
    fi
    if [ "$NODE_ROLE" = "master" ]; then
        mapfile -t flags < <(tls_flags /certs)
        docker run -d --name swarm-manager --restart always --net host \
            -v "$CERT_DIR:/certs:ro" "$(image swarm "$SWARM_TAG" docker.io/library/)" \
            manage -H "tcp://0.0.0.0:$SWARM_API_PORT" --replication \
            --advertise "$ip:$SWARM_API_PORT" --strategy "$SWARM_STRATEGY" \
            "${flags[@]}" "${kv[@]}" "$discovery"
    else
        docker run -d --name swarm-agent --restart always --net host \
            -v "$CERT_DIR:/certs:ro" "$(image swarm "$SWARM_TAG" docker.io/library/)" \
            join --advertise "$ip:$AGENT_PORT" "${kv[@]}" "$discovery"
    fi
}

# -- persistent volumes (volume driver "rexray") ---------------------------------
setup_rexray() {
    [ "${VOLUME_DRIVER:-}" = "rexray" ] || return 0
    local password   # a JSON string is a YAML double-quoted string
    password=$(printf '%s' "${TRUSTEE_PASSWORD:-}" | json_escape)
    password=${password%\\n}
    mkdir -p "$REXRAY_DIR"
    (
        umask 077
        cat > "$REXRAY_DIR/config.yml" <<EOF
libstorage:
  service: cinder
  integration:
    volume:
      operations:
        mount:
          preempt: ${REXRAY_PREEMPT}
cinder:
  authURL: ${AUTH_URL}
  userID: ${TRUSTEE_USER_ID}
  password: "${password}"
  trustID: ${TRUST_ID}
  regionName: ${REGION_NAME}
  availabilityZoneName: ${AVAILABILITY_ZONE}
EOF
    )
    docker run -d --name rexray --restart always --net host --privileged \
        -v "$REXRAY_DIR:/etc/rexray:ro" -v /run/docker/plugins:/run/docker/plugins \
        -v /var/lib/rexray:/var/lib/rexray:shared -v /dev:/dev \
        "$(image rexray "$REXRAY_TAG" docker.io/rexray/)" start --foreground
}

main() {
    load_settings
    [ -n "${NODE_ROLE:-}" ] || die "NODE_ROLE is not set"
    log "joining ${COE} cluster ${CLUSTER_UUID} as a ${NODE_ROLE}"
    setup_proxy
    setup_volumes
    setup_openstack_ca
    setup_certificates
    setup_storage
    start_docker
    if [ "$NODE_ROLE" = "master" ] &&
            { [ "$COE" = "swarm" ] || [ "$NETWORK_DRIVER" = "flannel" ]; }; then
        run_etcd
    fi
    [ "$NETWORK_DRIVER" != "flannel" ] || setup_flannel
    if [ "$COE" = "swarm" ]; then
        setup_swarm_classic
    else
        setup_swarm_mode
    fi
    setup_rexray
    setup_ca_rotation
    touch "$STATE_DIR/bootstrapped"
    log "done"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-join}" in
        join) main ;;
        rotate-ca) rotate_ca_main ;;
        *) die "usage: $0 [join|rotate-ca]" ;;
    esac
fi
