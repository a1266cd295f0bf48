"""The conductor: turns clusters into orchestration stacks and keeps their
status true.

* ``rpcapi`` -- the versioned client the API casts/calls through;
* ``service`` -- one conductor process (RPC server, heartbeat, reservation
  renewer, reconcile loop, Heat notification listener);
* ``manager`` -- thin RPC endpoints: expected exceptions -> lock -> workflow;
* ``clusters``, ``nodegroups``, ``certificates`` -- the workflows;
* ``states`` -- the one transition table (every status written comes from
  it); ``reconcile`` + ``hashring`` -- the partitioned periodic sync;
  ``locks`` -- per-cluster leases; ``driving`` -- rows -> driver inputs.
"""
