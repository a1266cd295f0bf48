"""The k8s_fedora_coreos_v1 cluster driver."""
