"""Heat templates every COE's stacks share: the network, the API load
balancer, floating IPs, volumes, the node (one server of either role) and
the shell user data that stores a node's settings and bootstrap script.
Drivers name ``TEMPLATES`` in their StackDefinitions' ``shared``."""
import os

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         'templates')
