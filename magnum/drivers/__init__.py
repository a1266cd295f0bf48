"""The driver SDK: the contract COE drivers implement, their typed inputs and
results, label schemas, the loader, and the generic Heat engine.

COE drivers (the top-level ``drivers`` package) import only this package.

How the conductor drives one:

    driver = loader.get_driver_for_template(template_row)
    spec = base.ClusterSpec(views.TemplateView.from_row(template_row),
                            views.ClusterView.from_row(cluster_row),
                            tuple(views.NodeGroupView.from_row(n)
                                  for n in nodegroup_rows))
    dctx = base.DriverContext(request_context=ctx,
                              orchestrator=heat.engine.HeatEngine(
                                  heat.engine.make_client(session)),
                              values={...})
    cluster_row.stack_id = driver.create_cluster(dctx, spec)
    ...
    seen = driver.observe_cluster(dctx, spec)   # views.Observation

The API validates labels with ``driver.validate_labels(labels)`` (400).
"""
