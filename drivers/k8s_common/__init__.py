"""What the Kubernetes drivers share: one set of Heat templates, the labels
schema, the parameter table and the driver class the distro drivers
specialise with a few attributes."""
