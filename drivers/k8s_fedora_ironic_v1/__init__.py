"""The k8s_fedora_ironic_v1 cluster driver."""
