from oslo_config import cfg

group = cfg.OptGroup('cluster', title='Cluster options')

opts = [
    cfg.IntOpt('create_timeout', default=60, min=0,
               help='Minutes a cluster create may take when the request '
                    'names no timeout; 0 means no limit.'),
    cfg.StrOpt('nodes_affinity_policy', default='soft-anti-affinity',
               help='Nova server group policy for cluster nodes.'),
    cfg.StrOpt('temp_cache_dir', default='/var/lib/magnum/certificate-cache',
               help='Directory for cached client certificates.'),
]
