#!/bin/bash
# Join this node to its Kubernetes cluster (no argument, or "join"), or
# follow a CA rotation ("rotate-ca", which a timer runs every minute).
#
# Settings come from /etc/magnum/{cluster,node,secrets}.env (KEY=value lines
# written by the user data). Certificates come from the Magnum API: the CAs
# from GET $MAGNUM_URL/certificates/$CLUSTER_UUID and our certificates by
# POSTing CSRs to $MAGNUM_URL/certificates, authenticated with a Keystone
# token of the cluster's trustee. Private keys never leave the node and are
# never printed.
set -euo pipefail

CERT_DIR=/etc/kubernetes/certs
MANIFESTS=/etc/kubernetes/manifests
STATE_DIR=/var/lib/magnum
API_VERSION_HEADER="OpenStack-API-Version: container-infra latest"
METADATA_URL=${METADATA_URL:-http://169.254.169.254/openstack/latest/meta_data.json}
SELF=$(readlink -f "${BASH_SOURCE[0]}")

log() { echo "magnum-bootstrap: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Read KEY=value lines without evaluating them.
load_env() {
    local file=$1 key value
    [ -r "$file" ] || return 0
    while IFS='=' read -r key value; do
        [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
        export "$key=$value"
    done < "$file"
}

is_true() { [ "${1:-false}" = "true" ]; }

load_settings() {
    load_env /etc/magnum/cluster.env
    load_env /etc/magnum/node.env
    load_env /etc/magnum/secrets.env
}

image() {
    # image NAME TAG [DEFAULT_REGISTRY]: honour container_infra_prefix.
    local registry=${3:-registry.k8s.io/}
    echo "${CONTAINER_INFRA_PREFIX:-$registry}$1:$2"
}

# -- host preparation ---------------------------------------------------------
setup_proxy() {
    [ -n "${HTTP_PROXY:-}${HTTPS_PROXY:-}" ] || return 0
    mkdir -p /etc/systemd/system.conf.d
    {
        echo "[Manager]"
        echo "DefaultEnvironment=\"HTTP_PROXY=${HTTP_PROXY:-}\" \"HTTPS_PROXY=${HTTPS_PROXY:-}\" \"NO_PROXY=${NO_PROXY:-}\""
    } > /etc/systemd/system.conf.d/magnum-proxy.conf
    {
        echo "http_proxy=${HTTP_PROXY:-}"
        echo "https_proxy=${HTTPS_PROXY:-}"
        echo "no_proxy=${NO_PROXY:-}"
    } >> /etc/environment
    export http_proxy="${HTTP_PROXY:-}" https_proxy="${HTTPS_PROXY:-}" \
        no_proxy="${NO_PROXY:-}"
    systemctl daemon-reexec
}

setup_selinux() {
    command -v setenforce > /dev/null || return 0
    case "${SELINUX_MODE:-enforcing}" in
        enforcing) setenforce 1 ;;
        permissive|disabled) setenforce 0 ;;
    esac
    if [ -f /etc/selinux/config ]; then
        sed -i "s/^SELINUX=.*/SELINUX=${SELINUX_MODE:-enforcing}/" \
            /etc/selinux/config
    fi
}

# mount_volume DEVICE MOUNTPOINT: format a fresh Cinder volume and mount it.
mount_volume() {
    local device=$1 target=$2 tries=0
    until [ -b "$device" ]; do
        tries=$((tries + 1))
        [ "$tries" -le 60 ] || die "volume $device never appeared"
        sleep 5
    done
    if ! blkid "$device" > /dev/null 2>&1; then
        mkfs.xfs -q "$device"
    fi
    mkdir -p "$target"
    echo "$device $target xfs defaults 0 0" >> /etc/fstab
    mount "$target"
}

setup_volumes() {
    if [ "${DOCKER_VOLUME_SIZE:-0}" -gt 0 ]; then
        if [ "${CONTAINER_RUNTIME:-}" = "containerd" ]; then
            mount_volume /dev/vdb /var/lib/containerd
        else
            mount_volume /dev/vdb /var/lib/docker
        fi
    fi
    if [ "${ETCD_VOLUME_SIZE:-0}" -gt 0 ]; then
        mount_volume /dev/vdc /var/lib/etcd
    fi
}

# -- talking to OpenStack --------------------------------------------------------
CURL_OPTS=(--silent --show-error --fail --retry 10 --retry-delay 5)

setup_openstack_ca() {
    if ! is_true "${VERIFY_CA:-true}"; then
        CURL_OPTS+=(--insecure)
    elif [ -n "${OPENSTACK_CA_B64:-}" ]; then
        echo "$OPENSTACK_CA_B64" | base64 -d > /etc/magnum/openstack-ca.pem
        CURL_OPTS+=(--cacert /etc/magnum/openstack-ca.pem)
    fi
}

json_escape() {
    # Escape backslashes, quotes and line breaks for a JSON string.
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | awk '{printf "%s\\n", $0}'
}

keystone_token() {
    local password body
    password=$(printf '%s' "${TRUSTEE_PASSWORD:-}" | json_escape)
    password=${password%\\n}
    body=$(cat <<JSON
{"auth": {"identity": {"methods": ["password"], "password": {"user":
 {"id": "${TRUSTEE_USER_ID}", "password": "${password}"}}},
 "scope": {"OS-TRUST:trust": {"id": "${TRUST_ID}"}}}}
JSON
)
    curl "${CURL_OPTS[@]}" --include --output - \
        -H "Content-Type: application/json" -d @- \
        "${AUTH_URL%/}/auth/tokens" <<< "$body" |
        awk 'tolower($1) == "x-subject-token:" {print $2}' | tr -d '\r'
}

# The "pem" member of a Magnum certificate document, line breaks restored.
pem_from_json() {
    sed -n 's/.*"pem": *"\([^"]*\)".*/\1/p' | sed 's/\\n/\n/g'
}

# fetch_ca TYPE DEST: the cluster's CA of TYPE (kubernetes, etcd, front-proxy).
fetch_ca() {
    curl "${CURL_OPTS[@]}" -H "X-Auth-Token: $TOKEN" \
        -H "$API_VERSION_HEADER" \
        "${MAGNUM_URL%/}/certificates/${CLUSTER_UUID}?ca_cert_type=$1" |
        pem_from_json > "$2"
    grep -q "BEGIN CERTIFICATE" "$2" || die "no $1 CA received"
}

# issue_cert NAME CA_TYPE SUBJECT SANS: a key made here, signed by Magnum.
issue_cert() {
    local name=$1 ca_type=$2 subject=$3 sans=$4 csr body
    local key="$CERT_DIR/$name.key" config="$CERT_DIR/$name.cnf"
    umask 077
    openssl genrsa -out "$key" 2048 2> /dev/null
    umask 022
    {
        echo "[req]"
        echo "distinguished_name = dn"
        echo "req_extensions = ext"
        echo "prompt = no"
        echo "[dn]"
        echo "$subject" | tr '/' '\n' | sed '/^$/d'
        echo "[ext]"
        echo "basicConstraints = CA:FALSE"
        echo "keyUsage = critical, digitalSignature, keyEncipherment"
        echo "extendedKeyUsage = clientAuth, serverAuth"
        [ -z "$sans" ] || echo "subjectAltName = $sans"
    } > "$config"
    csr=$(openssl req -new -key "$key" -config "$config" | json_escape)
    body="{\"cluster_uuid\": \"$CLUSTER_UUID\", \"csr\": \"$csr\", \"ca_cert_type\": \"$ca_type\"}"
    curl "${CURL_OPTS[@]}" -H "X-Auth-Token: $TOKEN" \
        -H "$API_VERSION_HEADER" -H "Content-Type: application/json" \
        -d @- "${MAGNUM_URL%/}/certificates" <<< "$body" |
        pem_from_json > "$CERT_DIR/$name.crt"
    grep -q "BEGIN CERTIFICATE" "$CERT_DIR/$name.crt" ||
        die "certificate $name was not signed"
}

node_ip() {
    ip -4 route get 1.1.1.1 | awk '{for (i = 1; i < NF; i++) if ($i == "src") print $(i + 1)}'
}

# service_ip N: the Nth address of the service range (1: API, 10: DNS).
service_ip() {
    local base=${SERVICE_CLUSTER_IP_RANGE%/*}
    echo "${base%.*}.$(( ${base##*.} + $1 ))"
}

authenticate() {
    TOKEN=$(keystone_token)
    [ -n "$TOKEN" ] || die "could not authenticate to Keystone"
}

fetch_cas() {
    fetch_ca kubernetes "$CERT_DIR/ca.crt"
    if [ "$NODE_ROLE" = "master" ]; then
        fetch_ca etcd "$CERT_DIR/etcd-ca.crt"
        fetch_ca front-proxy "$CERT_DIR/front-proxy-ca.crt"
    fi
}

# This node's certificates, signed by the CAs in $CERT_DIR.
issue_node_certs() {
    local hostname ip
    hostname=$(hostname -s)
    ip=$(node_ip)
    issue_cert kubelet kubernetes "/O=system:nodes/CN=system:node:$hostname" \
        "DNS:$hostname, IP:$ip"
    if [ "$NODE_ROLE" = "master" ]; then
        local sans="DNS:kubernetes, DNS:kubernetes.default"
        sans+=", DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local"
        sans+=", DNS:$hostname, IP:$ip, IP:127.0.0.1, IP:$(service_ip 1)"
        [ -z "${API_LB_ADDRESS:-}" ] || sans+=", IP:$API_LB_ADDRESS"
        [ -z "${API_LB_PRIVATE_ADDRESS:-}" ] || sans+=", IP:$API_LB_PRIVATE_ADDRESS"
        issue_cert server kubernetes "/CN=kube-apiserver" "$sans"
        issue_cert admin kubernetes "/O=system:masters/CN=admin" ""
        issue_cert etcd etcd "/CN=$hostname" "DNS:$hostname, IP:$ip, IP:127.0.0.1"
        issue_cert front-proxy-client front-proxy "/CN=front-proxy-client" ""
        echo "$KUBE_SERVICE_ACCOUNT_KEY_B64" | base64 -d > "$CERT_DIR/service_account.key"
        (umask 077; echo "$KUBE_SERVICE_ACCOUNT_PRIVATE_KEY_B64" | base64 -d \
            > "$CERT_DIR/service_account_private.key")
    fi
    issue_cert proxy kubernetes "/CN=system:kube-proxy" ""
}

setup_certificates() {
    mkdir -p "$CERT_DIR"
    if is_true "${TLS_DISABLED:-false}"; then
        return 0
    fi
    authenticate
    fetch_cas
    issue_node_certs
}

# -- CA rotation ---------------------------------------------------------------
# Magnum announces a new cluster CA in this server's metadata
# (magnum_ca_rotation: the CA's SHA-256 fingerprint). The node fetches the
# CAs and new certificates into a staging directory, installs them only if
# the cluster CA is the announced one, and restarts what uses them.

# fingerprint PEM_FILE: lowercase hex SHA-256 of the certificate's DER.
fingerprint() {
    openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1
}

# The fingerprint announced in the metadata, or nothing.
announced_ca() {
    curl --silent --show-error --fail --max-time 10 --noproxy '*' \
        "$METADATA_URL" |
        sed -n 's/.*"magnum_ca_rotation": *"\([0-9a-f]*\)".*/\1/p'
}

# What static pods carry as an annotation, so that a new CA restarts them.
ca_annotation() {
    if [ -r "$CERT_DIR/ca.crt" ]; then
        fingerprint "$CERT_DIR/ca.crt"
    else
        echo none
    fi
}

restart_with_new_certificates() {
    local manifest
    for manifest in "$MANIFESTS"/*.yaml; do
        [ -e "$manifest" ] || continue
        sed -i "s|magnum.openstack.org/ca: \"[^\"]*\"|magnum.openstack.org/ca: \"$1\"|" \
            "$manifest"
    done
    systemctl restart kubelet
}

# stage_certificates DIR FINGERPRINT: the CAs and this node's certificates
# in DIR, provided the cluster CA Magnum serves is the announced one.
stage_certificates() {
    local CERT_DIR=$1
    authenticate
    fetch_cas
    [ "$(fingerprint "$CERT_DIR/ca.crt")" = "$2" ] ||
        die "Magnum does not serve the CA $2; trying again later"
    issue_node_certs
}

rotate_ca() {
    local wanted
    wanted=$(announced_ca)
    if [ -z "$wanted" ] || [ "$wanted" = "$(fingerprint "$CERT_DIR/ca.crt")" ]; then
        return 0
    fi
    log "switching to the cluster CA $wanted"
    STAGING=$(mktemp -d "$CERT_DIR.new.XXXXXX")
    trap 'rm -rf "$STAGING"' EXIT
    stage_certificates "$STAGING" "$wanted"
    cp -p "$STAGING"/* "$CERT_DIR"/
    restart_with_new_certificates "$wanted"
    log "now on the cluster CA $wanted"
}

# SYSTEMD_DIR: where units go (a test points it elsewhere).
setup_ca_rotation() {
    local units=${SYSTEMD_DIR:-/etc/systemd/system}
    ! is_true "${TLS_DISABLED:-false}" || return 0
    cat > "$units/magnum-ca-rotation.service" <<UNIT
[Unit]
Description=Switch to the cluster CA Magnum announces
ConditionPathExists=$STATE_DIR/bootstrapped

[Service]
Type=oneshot
ExecStart=$SELF rotate-ca
UNIT
    cat > "$units/magnum-ca-rotation.timer" <<UNIT
[Unit]
Description=Look for a Magnum CA rotation every minute

[Timer]
OnActiveSec=1min
OnUnitInactiveSec=1min

[Install]
WantedBy=timers.target
UNIT
    systemctl daemon-reload
    systemctl enable --now magnum-ca-rotation.timer
}

# -- Kubernetes ------------------------------------------------------------------
api_server_url() {
    if [ "$NODE_ROLE" = "master" ]; then
        echo "https://127.0.0.1:${KUBERNETES_PORT}"
    else
        echo "https://${KUBE_API_ADDRESS}:${KUBERNETES_PORT}"
    fi
}

# write_kubeconfig FILE USER_CERT_NAME
write_kubeconfig() {
    cat > "$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster:
    certificate-authority: $CERT_DIR/ca.crt
    server: $(api_server_url)
users:
- name: node
  user:
    client-certificate: $CERT_DIR/$2.crt
    client-key: $CERT_DIR/$2.key
contexts:
- name: default
  context: {cluster: kubernetes, user: node}
current-context: default
EOF
}

setup_runtime() {
    if [ "${CONTAINER_RUNTIME:-}" = "containerd" ]; then
        local url=${CONTAINERD_TARBALL_URL:-}
        [ -n "$url" ] || url="https://github.com/containerd/containerd/releases/download/v${CONTAINERD_VERSION}/cri-containerd-cni-${CONTAINERD_VERSION}-linux-amd64.tar.gz"
        curl "${CURL_OPTS[@]}" -L -o /tmp/containerd.tgz "$url"
        if [ -n "${CONTAINERD_TARBALL_SHA256:-}" ]; then
            echo "${CONTAINERD_TARBALL_SHA256}  /tmp/containerd.tgz" | sha256sum -c -
        fi
        tar -xzf /tmp/containerd.tgz -C / --no-overwrite-dir
        systemctl enable --now containerd
        RUNTIME_ENDPOINT=unix:///run/containerd/containerd.sock
    else
        if [ -n "${INSECURE_REGISTRY_URL:-}" ]; then
            mkdir -p /etc/docker
            echo "{\"insecure-registries\": [\"$INSECURE_REGISTRY_URL\"]}" \
                > /etc/docker/daemon.json
        fi
        systemctl enable --now docker
        RUNTIME_ENDPOINT=unix:///var/run/dockershim.sock
    fi
}

# The kubelet runs as a podman container, or from the host otherwise.
setup_kubelet() {
    local labels="magnum.openstack.org/role=${NODE_ROLE},magnum.openstack.org/nodegroup=${NODEGROUP_NAME}"
    mkdir -p "$MANIFESTS" /var/lib/kubelet
    write_kubeconfig /etc/kubernetes/kubelet.conf kubelet
    cat > /etc/kubernetes/kubelet-config.yaml <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: ${CGROUP_DRIVER}
clusterDNS: [$(service_ip 10)]
clusterDomain: cluster.local
staticPodPath: $MANIFESTS
authentication:
  x509: {clientCAFile: $CERT_DIR/ca.crt}
  webhook: {enabled: true}
authorization: {mode: Webhook}
tlsCertFile: $CERT_DIR/kubelet.crt
tlsPrivateKeyFile: $CERT_DIR/kubelet.key
EOF
    local args="--config=/etc/kubernetes/kubelet-config.yaml"
    args+=" --kubeconfig=/etc/kubernetes/kubelet.conf"
    args+=" --container-runtime-endpoint=${RUNTIME_ENDPOINT}"
    args+=" --node-labels=${labels} --hostname-override=$(hostname -s)"
    if is_true "${CLOUD_PROVIDER_ENABLED:-false}"; then
        args+=" --cloud-provider=external"
    fi
    [ "$NODE_ROLE" = "worker" ] ||
        args+=" --register-with-taints=node-role.kubernetes.io/master=:NoSchedule"
    args+=" ${KUBELET_OPTIONS:-}"
    local exec_start
    if is_true "${USE_PODMAN:-false}"; then
        exec_start="/usr/bin/podman run --name kubelet --rm --privileged --net host --pid host"
        exec_start+=" -v /:/rootfs:ro -v /sys:/sys -v /dev:/dev -v /etc/kubernetes:/etc/kubernetes:ro"
        exec_start+=" -v /var/lib/kubelet:/var/lib/kubelet:rshared -v /var/log:/var/log -v /run:/run"
        exec_start+=" $(image hyperkube "$KUBE_TAG") kubelet $args"
    else
        exec_start="/usr/bin/kubelet $args"
    fi
    cat > /etc/systemd/system/kubelet.service <<EOF
[Unit]
Description=Kubernetes kubelet
After=network-online.target

[Service]
ExecStart=$exec_start
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
EOF
    systemctl daemon-reload
    systemctl enable --now kubelet
}

# static_pod [-p] [-w DIR]... NAME IMAGE COMMAND...: a pod the kubelet runs
# from $MANIFESTS. /etc/kubernetes is mounted read-only; -w mounts a host
# directory writable; -p makes the container privileged.
static_pod() {
    local privileged=false writable=() arg dir i
    while [ "${1:0:1}" = "-" ]; do
        case "$1" in
            -p) privileged=true; shift ;;
            -w) writable+=("$2"); shift 2 ;;
            *) die "static_pod: unknown option $1" ;;
        esac
    done
    local name=$1 img=$2
    shift 2
    mkdir -p "$MANIFESTS"
    {
        cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $name
  namespace: kube-system
  annotations: {magnum.openstack.org/ca: "$(ca_annotation)"}
spec:
  hostNetwork: true
  priorityClassName: system-node-critical
  containers:
  - name: $name
    image: $img
    securityContext: {privileged: $privileged}
    command:
EOF
        for arg in "$@"; do
            echo "    - \"$arg\""
        done
        echo "    volumeMounts:"
        echo "    - {name: kubernetes, mountPath: /etc/kubernetes, readOnly: true}"
        for i in "${!writable[@]}"; do
            echo "    - {name: host-$i, mountPath: ${writable[$i]}}"
        done
        echo "  volumes:"
        echo "  - {name: kubernetes, hostPath: {path: /etc/kubernetes}}"
        for i in "${!writable[@]}"; do
            dir=${writable[$i]}
            echo "  - {name: host-$i, hostPath: {path: $dir}}"
        done
    } > "$MANIFESTS/$name.yaml"
}

# etcd_members ADDRESS...: the static etcd member list, one member per
# master, named after its address.
etcd_members() {
    local address members=()
    for address in "$@"; do
        members+=("${address}=https://${address}:2380")
    done
    local IFS=,
    echo "${members[*]}"
}

setup_control_plane() {
    local ip etcd masters=()
    ip=$(node_ip)
    etcd="https://${ip}:2379"
    IFS=, read -r -a masters <<< "${MASTER_ADDRESSES:-}"
    [ "${#masters[@]}" -gt 0 ] || masters=("$ip")
    local discovery=()
    if [ -n "${DISCOVERY_URL:-}" ]; then
        discovery=("--discovery=${DISCOVERY_URL}")
    else
        discovery=("--initial-cluster=$(etcd_members "${masters[@]}")"
                   --initial-cluster-state=new
                   "--initial-cluster-token=${CLUSTER_UUID}")
    fi
    static_pod -w /var/lib/etcd etcd "$(image etcd "$ETCD_TAG" quay.io/coreos/)" etcd \
        "--name=${ip}" --data-dir=/var/lib/etcd \
        "--listen-client-urls=${etcd},https://127.0.0.1:2379" \
        "--advertise-client-urls=${etcd}" \
        "--listen-peer-urls=https://${ip}:2380" \
        "--initial-advertise-peer-urls=https://${ip}:2380" \
        "${discovery[@]}" \
        "--cert-file=$CERT_DIR/etcd.crt" "--key-file=$CERT_DIR/etcd.key" \
        "--peer-cert-file=$CERT_DIR/etcd.crt" "--peer-key-file=$CERT_DIR/etcd.key" \
        "--trusted-ca-file=$CERT_DIR/etcd-ca.crt" \
        "--peer-trusted-ca-file=$CERT_DIR/etcd-ca.crt" \
        --client-cert-auth --peer-client-cert-auth
    # shellcheck disable=SC2086 # *_OPTIONS hold several arguments
    static_pod kube-apiserver "$(image kube-apiserver "$KUBE_TAG")" \
        kube-apiserver "--advertise-address=${ip}" \
        "--secure-port=${KUBERNETES_PORT}" \
        "--etcd-servers=https://127.0.0.1:2379" \
        "--etcd-cafile=$CERT_DIR/etcd-ca.crt" \
        "--etcd-certfile=$CERT_DIR/etcd.crt" "--etcd-keyfile=$CERT_DIR/etcd.key" \
        "--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}" \
        "--enable-admission-plugins=${ADMISSION_CONTROL_LIST}" \
        "--client-ca-file=$CERT_DIR/ca.crt" \
        "--tls-cert-file=$CERT_DIR/server.crt" \
        "--tls-private-key-file=$CERT_DIR/server.key" \
        "--kubelet-client-certificate=$CERT_DIR/server.crt" \
        "--kubelet-client-key=$CERT_DIR/server.key" \
        "--requestheader-client-ca-file=$CERT_DIR/front-proxy-ca.crt" \
        "--proxy-client-cert-file=$CERT_DIR/front-proxy-client.crt" \
        "--proxy-client-key-file=$CERT_DIR/front-proxy-client.key" \
        "--service-account-key-file=$CERT_DIR/service_account.key" \
        "--service-account-signing-key-file=$CERT_DIR/service_account_private.key" \
        "--service-account-issuer=https://kubernetes.default.svc" \
        --authorization-mode=Node,RBAC ${KUBEAPI_OPTIONS:-}
    write_kubeconfig /etc/kubernetes/admin.conf admin
    # shellcheck disable=SC2086
    static_pod kube-controller-manager \
        "$(image kube-controller-manager "$KUBE_TAG")" kube-controller-manager \
        --kubeconfig=/etc/kubernetes/admin.conf \
        "--cluster-cidr=${PODS_NETWORK_CIDR}" --allocate-node-cidrs=true \
        "--node-cidr-mask-size=${FLANNEL_NETWORK_SUBNETLEN}" \
        "--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}" \
        "--root-ca-file=$CERT_DIR/ca.crt" \
        "--service-account-private-key-file=$CERT_DIR/service_account_private.key" \
        --use-service-account-credentials=true ${KUBECONTROLLER_OPTIONS:-}
    # shellcheck disable=SC2086
    static_pod kube-scheduler "$(image kube-scheduler "$KUBE_TAG")" \
        kube-scheduler --kubeconfig=/etc/kubernetes/admin.conf \
        ${KUBESCHEDULER_OPTIONS:-}
}

kubectl_apply() {
    local tries=0
    until podman run --rm --net host -i -v /etc/kubernetes:/etc/kubernetes:ro \
        "$(image kubectl "$KUBE_TAG" bitnami/)" \
        --kubeconfig=/etc/kubernetes/admin.conf apply -f - < "$1"; do
        tries=$((tries + 1))
        [ "$tries" -le 60 ] || die "could not apply $1"
        sleep 10
    done
}

# Pod networking, applied once by the first master.
setup_pod_network() {
    local manifest=$STATE_DIR/network.yaml
    if [ "$NETWORK_DRIVER" = "calico" ]; then
        curl "${CURL_OPTS[@]}" -L -o "$manifest" \
            "https://raw.githubusercontent.com/projectcalico/calico/${CALICO_TAG}/manifests/calico.yaml"
        sed -i -e "s|192.168.0.0/16|${CALICO_IPV4POOL}|" \
            -e "s|value: \"Always\"|value: \"${CALICO_IPV4POOL_IPIP}\"|" "$manifest"
    else
        cat > "$manifest" <<EOF
apiVersion: v1
kind: ConfigMap
metadata: {name: kube-flannel-cfg, namespace: kube-system}
data:
  net-conf.json: |
    {"Network": "${FLANNEL_NETWORK_CIDR}", "SubnetLen": ${FLANNEL_NETWORK_SUBNETLEN},
     "Backend": {"Type": "${FLANNEL_BACKEND}"}}
  cni-conf.json: |
    {"name": "cbr0", "cniVersion": "0.3.1", "plugins": [
      {"type": "flannel", "delegate": {"hairpinMode": true, "isDefaultGateway": true}},
      {"type": "portmap", "capabilities": {"portMappings": true}}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-flannel, namespace: kube-system}
spec:
  selector: {matchLabels: {app: flannel}}
  template:
    metadata: {labels: {app: flannel}}
    spec:
      hostNetwork: true
      tolerations: [{operator: Exists}]
      serviceAccountName: flannel
      initContainers:
      - name: install-cni
        image: $(image flannel-cni "$FLANNEL_CNI_TAG" quay.io/coreos/)
        command: [cp, /etc/kube-flannel/cni-conf.json, /etc/cni/net.d/10-flannel.conflist]
        volumeMounts:
        - {name: cni, mountPath: /etc/cni/net.d}
        - {name: cfg, mountPath: /etc/kube-flannel}
      containers:
      - name: kube-flannel
        image: $(image flannel "$FLANNEL_TAG" quay.io/coreos/)
        command: [/opt/bin/flanneld, --ip-masq, --kube-subnet-mgr]
        securityContext: {privileged: true}
        env:
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        - name: POD_NAMESPACE
          valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
        volumeMounts:
        - {name: run, mountPath: /run/flannel}
        - {name: cfg, mountPath: /etc/kube-flannel}
      volumes:
      - {name: run, hostPath: {path: /run/flannel}}
      - {name: cni, hostPath: {path: /etc/cni/net.d}}
      - name: cfg
        configMap: {name: kube-flannel-cfg}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: flannel, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: flannel}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get]}
- {apiGroups: [""], resources: [nodes], verbs: [get, list, watch]}
- {apiGroups: [""], resources: [nodes/status], verbs: [patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: flannel}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: flannel}
subjects:
- {kind: ServiceAccount, name: flannel, namespace: kube-system}
EOF
    fi
    kubectl_apply "$manifest"
}

setup_dns() {
    local manifest=$STATE_DIR/coredns.yaml
    cat > "$manifest" <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
- {apiGroups: [""], resources: [endpoints, services, pods, namespaces], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects:
- {kind: ServiceAccount, name: coredns, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        errors
        health
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
            pods insecure
            fallthrough in-addr.arpa ip6.arpa
        }
        forward . /etc/resolv.conf
        cache 30
        loop
        reload
    }
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  replicas: 2
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      serviceAccountName: coredns
      priorityClassName: system-cluster-critical
      tolerations: [{key: CriticalAddonsOnly, operator: Exists}]
      containers:
      - name: coredns
        image: $(image coredns "$COREDNS_TAG" docker.io/coredns/)
        args: [-conf, /etc/coredns/Corefile]
        ports:
        - {containerPort: 53, protocol: UDP, name: dns}
        - {containerPort: 53, protocol: TCP, name: dns-tcp}
        volumeMounts:
        - {name: config, mountPath: /etc/coredns, readOnly: true}
      volumes:
      - name: config
        configMap: {name: coredns}
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  selector: {k8s-app: kube-dns}
  clusterIP: $(service_ip 10)
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
EOF
    kubectl_apply "$manifest"
}

# The OpenStack cloud provider, authenticated with the cluster's trust.
setup_cloud_provider() {
    is_true "${CLOUD_PROVIDER_ENABLED:-false}" || return 0
    local config=/etc/kubernetes/cloud-config manifest part
    local base="https://raw.githubusercontent.com/kubernetes/cloud-provider-openstack/${CLOUD_PROVIDER_TAG}/manifests/controller-manager"
    (
        umask 077
        {
            echo "[Global]"
            echo "auth-url=${AUTH_URL}"
            echo "user-id=${TRUSTEE_USER_ID}"
            echo "password=${TRUSTEE_PASSWORD}"
            echo "trust-id=${TRUST_ID}"
            echo "region=${REGION_NAME}"
        } > "$config"
    )
    manifest=$STATE_DIR/cloud-provider.yaml
    {
        echo "apiVersion: v1"
        echo "kind: Secret"
        echo "metadata: {name: cloud-config, namespace: kube-system}"
        echo "data:"
        echo "  cloud.conf: $(base64 -w0 < "$config")"
        for part in cloud-controller-manager-roles.yaml \
                cloud-controller-manager-role-bindings.yaml \
                openstack-cloud-controller-manager-ds.yaml; do
            echo "---"
            curl "${CURL_OPTS[@]}" -L "$base/$part"
        done
    } > "$manifest"
    chmod 0600 "$manifest"
    kubectl_apply "$manifest"
}

setup_kube_proxy() {
    write_kubeconfig /etc/kubernetes/proxy.conf proxy
    # shellcheck disable=SC2086
    static_pod -p -w /lib/modules kube-proxy \
        "$(image kube-proxy "$KUBE_TAG")" kube-proxy \
        --kubeconfig=/etc/kubernetes/proxy.conf \
        "--cluster-cidr=${PODS_NETWORK_CIDR}" ${KUBEPROXY_OPTIONS:-}
}

main() {
    load_settings
    [ -n "${NODE_ROLE:-}" ] || die "NODE_ROLE is not set"
    log "joining cluster ${CLUSTER_UUID} as a ${NODE_ROLE}"
    setup_proxy
    setup_selinux
    setup_volumes
    setup_openstack_ca
    setup_certificates
    setup_runtime
    setup_kube_proxy
    if [ "$NODE_ROLE" = "master" ]; then
        setup_control_plane
    fi
    setup_kubelet
    # The first master installs the cluster-wide pieces once.
    case "$NODE_ROLE:$NODE_NAME" in
        master:*-0)
            setup_pod_network
            setup_dns
            setup_cloud_provider
            ;;
    esac
    setup_ca_rotation
    touch "$STATE_DIR/bootstrapped"
    log "done"
}

rotate_ca_main() {
    load_settings
    setup_openstack_ca
    rotate_ca
}

# Sourcing (the unit tests do) defines the functions without running them.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-join}" in
        join) main ;;
        rotate-ca) rotate_ca_main ;;
        *) die "usage: $0 [join|rotate-ca]" ;;
    esac
fi
