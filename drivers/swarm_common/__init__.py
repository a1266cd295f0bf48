"""What the Docker Swarm drivers share: the cluster and nodegroup Heat
templates, the swarm bootstrap, the labels schema, the parameter table and
the driver class. Nodes, networks, volumes and the API load balancer are the
templates of drivers/heat_common, as for Kubernetes."""
