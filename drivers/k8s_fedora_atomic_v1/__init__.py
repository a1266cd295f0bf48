"""The k8s_fedora_atomic_v1 cluster driver."""
