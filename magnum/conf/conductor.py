from oslo_config import cfg

group = cfg.OptGroup('conductor', title='Options for magnum-conductor')

opts = [
    cfg.StrOpt('topic', default='magnum-conductor',
               help='RPC topic the conductors listen on.'),
    cfg.IntOpt('rpc_send_retries', default=2, min=0,
               help='How often the API retries reaching the message bus '
                    'before it answers 503; oslo.messaging\'s own retry '
                    'interval applies between tries.'),
    cfg.IntOpt('workers', default=8, min=1,
               help='Threads handling RPC requests in one conductor.'),
    cfg.IntOpt('build_concurrency', default=2, min=1,
               help='Driver calls that build or change a cluster\'s '
                    'infrastructure (a Heat stack create or update) one '
                    'conductor makes at once; more wait their turn. Heat '
                    'validates a template while the request is open, so a '
                    'burst of creates could otherwise hold every Heat API '
                    'worker and hold up the status reads that report '
                    'finished clusters.'),
    cfg.IntOpt('lock_lease', default=120, min=5,
               help='Seconds a conductor holds a cluster lock before it must '
                    'renew it; a dead conductor\'s lock expires after this.'),
    cfg.IntOpt('heartbeat_interval', default=10, min=1,
               help='Seconds between service heartbeats.'),
    cfg.FloatOpt('call_lock_wait', default=5, min=0,
                 help='Seconds an RPC call (upgrade, CA or credential '
                      'rotation) waits for a reserved cluster before it '
                      'answers 409. Casts wait up to lock_lease.'),
    cfg.FloatOpt('sync_interval', default=10, min=0.1,
                 help='Seconds between two reconcile passes over the '
                      'in-progress clusters this conductor owns.'),
    cfg.BoolOpt('stack_list_sync', default=False,
                deprecated_opts=[cfg.DeprecatedOpt(
                    'periodic_global_stack_list', group='DEFAULT')],
                help='Read the status of in-progress stacks from one stack '
                     'list per reconcile pass instead of one GET per '
                     'cluster (a stack that finished is still read on its '
                     'own, for its outputs). Upstream Magnum\'s [DEFAULT] '
                     'periodic_global_stack_list is accepted as its old '
                     'name.'),
    cfg.BoolOpt('stack_list_global_tenant', default=False,
                help='With stack_list_sync, list every project\'s stacks '
                     '(Heat policy stacks:global_index); not needed while '
                     'the stacks live in the service user\'s project.'),
    cfg.IntOpt('backstop_poll_limit', default=10, min=0,
               help='Once a Heat notification has reached this conductor '
                    '(so Heat tells the bus when stacks finish), the most '
                    'in-progress clusters one reconcile pass reads from '
                    'Heat, the least recently read first: the notifications '
                    'report the others as their stacks finish, and Heat '
                    'calls per pass do not grow with the number of clusters '
                    'in progress. 0: read every one every pass. Not used '
                    'with stack_list_sync.'),
    cfg.BoolOpt('listen_heat_notifications', default=True,
                help='Reconcile a cluster as soon as Heat notifies that its '
                     'stack finished (orchestration.stack.*.end on the '
                     '[oslo_messaging_notifications] topics).'),
]
