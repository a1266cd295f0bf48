from oslo_config import cfg

group = cfg.OptGroup('cluster_template', title='Cluster template options')

opts = [
    cfg.ListOpt('kubernetes_allowed_network_drivers',
                default=['flannel', 'calico'],
                help="Network drivers Kubernetes templates may use; 'all' "
                     "allows every supported driver."),
    cfg.StrOpt('kubernetes_default_network_driver', default='flannel',
               help='Network driver for Kubernetes templates that name none.'),
    cfg.ListOpt('swarm_allowed_network_drivers', default=['all'],
                help='Network drivers Swarm templates may use.'),
    cfg.StrOpt('swarm_default_network_driver', default='flannel',
               help='Network driver for Swarm templates that name none.'),
    cfg.ListOpt('mesos_allowed_network_drivers', default=['all'],
                help='Network drivers Mesos templates may use.'),
    cfg.StrOpt('mesos_default_network_driver', default='docker',
               help='Network driver for Mesos templates that name none.'),
]
