from oslo_config import cfg

group = cfg.OptGroup('api', title='Options for the magnum-api service')

opts = [
    cfg.HostAddressOpt('host', default='127.0.0.1',
                       help='Address the API server listens on.'),
    cfg.PortOpt('port', default=9511, help='Port the API server listens on.'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='Largest number of items a collection returns at once.'),
    cfg.StrOpt('api_paste_config', default='api-paste.ini',
               help='Paste deploy configuration for the API pipeline.'),
    cfg.IntOpt('workers', default=1, min=1,
               help='Number of magnum-api worker processes.'),
    cfg.IntOpt('threads', default=8, min=1,
               help='Threads per magnum-api worker process.'),
    cfg.IntOpt('lookup_cache_ttl', default=60, min=0,
               help='Seconds an image, flavor or network look-up made for '
                    'validation is cached (0 disables the cache).'),
    cfg.IntOpt('policy_cache_ttl', default=10, min=0,
               help='Seconds a policy decision (rule, target, caller\'s '
                    'credentials) is reused; a changed policy file applies '
                    'after at most this long (0 disables the cache).'),
]
