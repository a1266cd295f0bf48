from oslo_config import cfg

group = cfg.OptGroup('quotas', title='Quota options')

opts = [
    cfg.IntOpt('max_clusters_per_project', default=20, min=0,
               help='Clusters a project may own when it has no quota row.'),
]
