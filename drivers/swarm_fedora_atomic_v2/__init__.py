"""The swarm_fedora_atomic_v2 cluster driver."""
