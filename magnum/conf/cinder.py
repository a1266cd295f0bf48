from oslo_config import cfg

group = cfg.OptGroup('cinder', title='Cinder defaults for cluster volumes')

opts = [
    cfg.StrOpt('default_docker_volume_type', default='',
               help='Volume type of docker volumes.'),
    cfg.StrOpt('default_etcd_volume_type', default='',
               help='Volume type of etcd volumes.'),
    cfg.StrOpt('default_boot_volume_type', default='',
               help='Volume type of boot volumes.'),
    cfg.IntOpt('default_boot_volume_size', default=0, min=0,
               help='Boot volume size in GiB; 0 boots from the image.'),
]
