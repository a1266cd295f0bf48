"""The k8s_coreos_v1 cluster driver."""
