"""A Driver implemented with the generic Heat engine.

Subclasses supply two StackDefinitions (the cluster stack and the stack of
one non-default nodegroup) and an OutputMap; this class does the rest.
``dctx.orchestrator`` must be an ``engine.HeatEngine``.

CA rotation contract (any COE's templates can adopt it): a driver supports
``rotate_ca_certificate`` when the main templates of its cluster and
nodegroup stacks declare a string parameter ``ca_rotation_id`` (default
``''``). A rotation PATCHes that one parameter on the cluster stack, then
on every non-default nodegroup's stack, with the SHA-256 fingerprint
(lowercase hex) of the new cluster CA; nothing else in the stacks changes.
The templates must carry the value to every node without rebuilding it,
and the node must then re-fetch the CAs from ``GET
/v1/certificates/<cluster>`` (installing them only if the cluster CA's
fingerprint is the announced one), get new certificates signed through
``POST /v1/certificates`` and restart what uses them. ``''`` means "keep
your CA". The Kubernetes templates put the value in each server's Nova
metadata (``magnum_ca_rotation``, updated in place by Heat) and a timer on
the node polls the metadata service; see drivers/README.rst.

If a stack refuses the PATCH, the stacks already told are set back to
``''`` and the error is raised, so the conductor can keep the old CA.
"""
import dataclasses

from oslo_log import log as logging

from magnum.drivers import base
from magnum.drivers import views
from magnum.drivers.heat import engine
from magnum.drivers.heat import render

LOG = logging.getLogger(__name__)
CA_ROTATION_PARAMETER = 'ca_rotation_id'


@dataclasses.dataclass(frozen=True)
class OutputMap:
    """Where the stack keeps what Magnum shows on clusters and nodegroups."""
    api_address: str = 'api_address'
    master_addresses: str = 'kube_masters'
    worker_addresses: str = 'kube_minions'
    master_count: str = 'number_of_masters'
    worker_count: str = 'number_of_minions'
    coe_version: str = 'kube_tag'
    worker_group: str = 'kube_minions'
    removal: str = 'minions_to_remove'


class HeatDriver(base.Driver):
    cluster_stack: render.StackDefinition = None
    nodegroup_stack: render.StackDefinition = None
    outputs = OutputMap()

    # -- rendering (pure) -----------------------------------------------------
    def render_cluster(self, spec, context_values):
        return render.render(self.cluster_stack, spec,
                             context_values=context_values,
                             labels=self.label_values(spec.labels))

    def render_nodegroup(self, spec, nodegroup, context_values):
        labels = dict(spec.labels, **(nodegroup.labels or {}))
        return render.render(self.nodegroup_stack, spec,
                             context_values=context_values,
                             labels=self.label_values(labels),
                             nodegroup=nodegroup)

    def api_url(self, spec, address):
        """The URL users reach the COE API at, given the stack's address."""
        if not address:
            return None
        if spec.template.tls_disabled:
            return 'http://%s:%s' % (address, 8080)
        return 'https://%s:%s' % (address,
                                  spec.template.apiserver_port or 6443)

    def _scaling(self, rendered, nodegroup_stack=False):
        """The rendered parameters a size change may alter. Updates send
        only these (a PATCH), so nothing else in the stack can change and
        no server is rebuilt because, say, a secret was rendered anew."""
        names = [self.outputs.worker_count, self.outputs.removal]
        if not nodegroup_stack:
            names.append(self.outputs.master_count)
        return {name: rendered.parameters[name] for name in names
                if name in rendered.parameters}

    # -- lifecycle ------------------------------------------------------------
    def create_cluster(self, dctx, spec):
        self.validate_labels(spec.labels)
        rendered = self.render_cluster(spec, dctx.values)
        name = engine.stack_name(spec.cluster.name, spec.cluster.uuid)
        timeout = dctx.timeout_mins or spec.cluster.create_timeout
        return dctx.orchestrator.create_stack(name, rendered, timeout)

    def update_cluster(self, dctx, spec):
        rendered = self.render_cluster(spec, dctx.values)
        dctx.orchestrator.patch_stack(spec.cluster.stack_id,
                                      self._scaling(rendered),
                                      dctx.timeout_mins)

    def resize_cluster(self, dctx, spec, nodegroup, node_count,
                       nodes_to_remove=()):
        if nodegroup.is_master:
            self.validate_master_resize(node_count)
        resized = dataclasses.replace(nodegroup, node_count=node_count)
        spec = spec.with_nodegroup(resized)
        stack_id = (spec.cluster.stack_id if nodegroup.is_default
                    else nodegroup.stack_id)
        removal = dctx.orchestrator.group_member_indexes(
            stack_id, self.outputs.worker_group, nodes_to_remove)
        values = dict(dctx.values, nodes_to_remove=removal)
        if nodegroup.is_default:
            rendered = self.render_cluster(spec, values)
        else:
            rendered = self.render_nodegroup(spec, resized, values)
        dctx.orchestrator.patch_stack(
            stack_id, self._scaling(rendered, not nodegroup.is_default),
            dctx.timeout_mins)

    def delete_cluster(self, dctx, spec):
        for ng in spec.nodegroups:
            if not ng.is_default and ng.stack_id:
                dctx.orchestrator.delete_stack(ng.stack_id)
        if spec.cluster.stack_id:
            dctx.orchestrator.delete_stack(spec.cluster.stack_id)

    def observe_cluster(self, dctx, spec):
        name = engine.stack_name(spec.cluster.name, spec.cluster.uuid)
        state = (dctx.orchestrator.get_stack(spec.cluster.stack_id, name)
                 if spec.cluster.stack_id else None)
        if state is None:
            return views.Observation(status=None, found=False,
                                     stack_id=spec.cluster.stack_id)
        out = self.outputs
        groups = []
        for ng, output, count in (
                (spec.master, out.master_addresses, out.master_count),
                (spec.worker, out.worker_addresses, out.worker_count)):
            if ng is not None:
                groups.append(_observed_group(ng.name, state, output, count))
        return views.Observation(
            status=state.status, status_reason=state.status_reason,
            stack_id=state.stack_id,
            api_address=self.api_url(spec, (state.outputs or {}).get(
                out.api_address)),
            coe_version=state.parameters.get(out.coe_version),
            container_version=self.version,
            nodegroups=tuple(groups))

    def create_nodegroup(self, dctx, spec, nodegroup):
        self.validate_labels(nodegroup.labels)
        dctx = _with_cluster_outputs(dctx, spec)
        rendered = self.render_nodegroup(spec, nodegroup, dctx.values)
        name = engine.stack_name(spec.cluster.name, spec.cluster.uuid,
                                 nodegroup.name)
        return dctx.orchestrator.create_stack(name, rendered,
                                              dctx.timeout_mins)

    def update_nodegroup(self, dctx, spec, nodegroup):
        rendered = self.render_nodegroup(spec, nodegroup, dctx.values)
        dctx.orchestrator.patch_stack(nodegroup.stack_id,
                                      self._scaling(rendered, True),
                                      dctx.timeout_mins)

    def rotate_ca_certificate(self, dctx, spec):
        """Announce the new CA (``dctx.values['ca_rotation_id']``) to every
        node through the stacks; see the module docstring."""
        if not self.supports_ca_rotation():
            self._unsupported('rotate_ca_certificate')
        stack_ids = [spec.cluster.stack_id] + [
            ng.stack_id for ng in spec.nodegroups
            if not ng.is_default and ng.stack_id]
        told = []
        try:
            for stack_id in stack_ids:
                self._announce_ca(dctx, stack_id,
                                  dctx.values['ca_rotation_id'])
                told.append(stack_id)
        except Exception:
            for stack_id in told:
                try:
                    self._announce_ca(dctx, stack_id, '')
                except Exception as err:
                    LOG.error('Stack %s still announces CA %s, which is '
                              'not kept: %s', stack_id,
                              dctx.values['ca_rotation_id'], err)
            raise

    @staticmethod
    def _announce_ca(dctx, stack_id, rotation_id):
        dctx.orchestrator.patch_stack(
            stack_id, {CA_ROTATION_PARAMETER: rotation_id},
            dctx.timeout_mins)

    def supports_ca_rotation(self):
        return all(CA_ROTATION_PARAMETER in render.declared_parameters(stack)
                   for stack in (self.cluster_stack, self.nodegroup_stack)
                   if stack is not None)

    def delete_nodegroup(self, dctx, spec, nodegroup):
        if nodegroup.stack_id:
            dctx.orchestrator.delete_stack(nodegroup.stack_id)

    def observe_nodegroup(self, dctx, spec, nodegroup):
        name = engine.stack_name(spec.cluster.name, spec.cluster.uuid,
                                 nodegroup.name)
        state = (dctx.orchestrator.get_stack(nodegroup.stack_id, name)
                 if nodegroup.stack_id else None)
        if state is None:
            return views.Observation(status=None, found=False,
                                     stack_id=nodegroup.stack_id)
        group = _observed_group(nodegroup.name, state,
                                self.outputs.worker_addresses,
                                self.outputs.worker_count)
        return views.Observation(
            status=state.status, status_reason=state.status_reason,
            stack_id=state.stack_id, nodegroups=(group,))

    def describe(self):
        info = super().describe()
        info['templates'] = sorted({
            directory
            for stack in (self.cluster_stack, self.nodegroup_stack)
            if stack is not None
            for directory in (stack.directory,) + stack.shared})
        return info


def _with_cluster_outputs(dctx, spec):
    """Nodegroup stacks join the cluster stack's network and API: their
    parameters read its outputs from ``values['cluster_outputs']``."""
    if 'cluster_outputs' in dctx.values:
        return dctx
    state = dctx.orchestrator.get_stack(spec.cluster.stack_id)
    outputs = state.outputs if state is not None else {}
    return dataclasses.replace(
        dctx, values=dict(dctx.values, cluster_outputs=outputs))


def _observed_group(name, state, output, count_param):
    addresses = None
    if state.outputs is not None:
        addresses = state.outputs.get(output) or ()
        if isinstance(addresses, str):
            addresses = (addresses,)
        addresses = tuple(a for a in addresses if a)
    count = state.parameters.get(count_param)
    return views.ObservedNodeGroup(
        name=name,
        node_count=int(count) if count not in (None, '') else None,
        node_addresses=addresses)
