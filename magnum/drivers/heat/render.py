"""Render a cluster (or one nodegroup) into a Heat stack. Pure: the same
inputs always give the same RenderedStack, and nothing here talks to a
service, so every variant can be checked by golden files.

A Heat driver declares:
* a parameter table: ``Param(heat_name, source)`` rows, where a source is a
  small function of the ``RenderInput`` (see ``cluster``, ``template``,
  ``nodegroup``, ``label``, ``value``, ``first``, ``computed``);
* switches: ``Switch(resource_type, test, on, off)`` rows choosing, per
  render, which implementation a resource type gets in the environment's
  resource_registry (a nested template file or a plain Heat type);
* the template files (a directory, plus shared ones) and which of them is
  the main template, plus files generated from them and driver options
  sources may read.

Parameters whose source yields None are left out, so the template's own
default applies.
"""
import dataclasses
import functools
import os
from typing import Any, Callable, Optional

import yaml

from magnum.drivers import base


@dataclasses.dataclass(frozen=True)
class RenderInput:
    """Everything a parameter source may look at."""
    spec: base.ClusterSpec
    labels: dict                 # typed label values, defaults filled in
    values: dict                 # what only the conductor knows
    nodegroup: Optional[Any] = None  # set when rendering a nodegroup stack
    options: dict = dataclasses.field(default_factory=dict)  # the driver's

    @property
    def template(self):
        return self.spec.template

    @property
    def cluster(self):
        return self.spec.cluster

    def ng(self, role):
        if self.nodegroup is not None and self.nodegroup.role == role:
            return self.nodegroup
        return self.spec.default(role)


@dataclasses.dataclass(frozen=True)
class Param:
    name: str
    source: Callable[[RenderInput], Any]


@dataclasses.dataclass(frozen=True)
class Switch:
    resource_type: str
    test: Callable[[RenderInput], bool]
    on: str
    off: str = 'OS::Heat::None'


@dataclasses.dataclass(frozen=True)
class RenderedStack:
    template: str       # key of the main template in ``files``
    files: dict         # every file Heat needs, by the name templates use
    parameters: dict
    environment: dict

    def heat_arguments(self):
        """Keyword arguments for heatclient's stacks.create/update."""
        return {'template': self.files[self.template],
                'files': {k: v for k, v in self.files.items()
                          if k != self.template},
                'parameters': dict(self.parameters),
                'environment': dict(self.environment)}


# -- parameter sources --------------------------------------------------------
def cluster(field):
    return lambda ri: getattr(ri.cluster, field)


def template(field):
    return lambda ri: getattr(ri.template, field)


def nodegroup(role, field):
    def source(ri):
        ng = ri.ng(role)
        return None if ng is None else getattr(ng, field)
    return source


def label(name):
    return lambda ri: ri.labels.get(name)


def value(name, default=None):
    return lambda ri: ri.values.get(name, default)


def const(constant):
    return lambda ri: constant


def first(*sources):
    """The first source giving something other than None or ''."""
    def source(ri):
        for candidate in sources:
            result = candidate(ri)
            if result is not None and result != '':
                return result
        return None
    return source


def computed(func):
    """A named function of the RenderInput (for the few derived values)."""
    return func


# -- rendering ----------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def read_files(directory):
    """Every file under ``directory`` keyed by its relative path."""
    files = {}
    for root, _dirs, names in os.walk(directory):
        for name in names:
            if name.endswith(('.yaml', '.sh')):
                path = os.path.join(root, name)
                key = os.path.relpath(path, directory).replace(os.sep, '/')
                with open(path, encoding='utf-8') as f:
                    files[key] = f.read()
    return dict(sorted(files.items()))


def _heat_value(result):
    if isinstance(result, bool):
        return result
    if isinstance(result, (list, tuple)):
        return ','.join(str(item) for item in result)
    return result


def render(stack_def, spec, *, context_values, labels, nodegroup=None):
    """Render ``spec`` with a StackDefinition into a RenderedStack.

    ``labels`` are the driver's typed label values; ``nodegroup`` selects
    the nodegroup stack of one non-default nodegroup instead of the
    cluster stack.
    """
    ri = RenderInput(spec=spec, labels=labels, values=dict(context_values),
                     nodegroup=nodegroup, options=dict(stack_def.options))
    parameters = {}
    for param in stack_def.parameters:
        result = param.source(ri)
        if result is not None:
            parameters[param.name] = _heat_value(result)
    registry = dict(stack_def.registry)
    for switch in stack_def.switches:
        registry[switch.resource_type] = (
            switch.on if switch.test(ri) else switch.off)
    files = _template_files(stack_def)
    if stack_def.generated is not None:
        files = dict(files, **stack_def.generated(files))
    registry = dict(sorted(registry.items()))
    return RenderedStack(
        template=stack_def.main,
        files=_reachable(files, stack_def.main, registry),
        parameters=parameters,
        environment={'resource_registry': registry})


def _file_refs(node):
    if isinstance(node, dict):
        if isinstance(node.get('get_file'), str):
            yield node['get_file']
        for child in node.values():
            yield from _file_refs(child)
    elif isinstance(node, list):
        for child in node:
            yield from _file_refs(child)


def _reachable(files, main, registry):
    """Only the files this stack uses: the main template, the templates
    the registry maps to, and whatever they get_file, transitively."""
    wanted = [main] + [t for t in registry.values() if t in files]
    seen = {}
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen[name] = files[name]
        if name.endswith('.yaml'):
            wanted.extend(ref for ref in _file_refs(_parse(files[name]))
                          if ref in files)
    return dict(sorted(seen.items()))


def _template_files(stack_def):
    """The stack's template files: its shared directories' and its own,
    keyed by relative path (its own win)."""
    files = {}
    for directory in stack_def.shared + (stack_def.directory,):
        files.update(read_files(directory))
    return files


@functools.lru_cache(maxsize=64)
def _parse(text):
    return yaml.safe_load(text)


def declared_parameters(stack_def):
    """Names of the parameters the stack's main template declares."""
    main = read_files(stack_def.directory)[stack_def.main]
    return frozenset(_parse(main).get('parameters') or ())


@dataclasses.dataclass(frozen=True)
class StackDefinition:
    """One kind of stack a Heat driver renders (cluster or nodegroup)."""
    directory: str
    main: str
    parameters: tuple
    switches: tuple = ()
    registry: dict = dataclasses.field(default_factory=dict)
    #: more files, derived from the static ones or read elsewhere:
    #: f(files) -> {name: text}
    generated: Optional[Callable[[dict], dict]] = None
    #: driver settings parameter sources may read (RenderInput.options)
    options: dict = dataclasses.field(default_factory=dict)
    #: more template directories (e.g. drivers/heat_common/templates)
    shared: tuple = ()
