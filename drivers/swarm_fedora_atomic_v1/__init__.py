"""The swarm_fedora_atomic_v1 cluster driver."""
