"""Structural checks of a rendered Heat stack, without Heat.

They catch what most often breaks templates: a get_param of an undeclared
parameter, a get_resource/get_attr of a missing resource or output, an
unknown condition, a get_file of a file not sent, a nested template given
properties it does not declare (or missing ones it requires), and resource
types nothing maps.
"""
import yaml

HEAT_TYPES = ('OS::',)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def _head(ref):
    return ref[0] if isinstance(ref, list) else ref


class Problems(list):
    def add(self, where, message):
        self.append('%s: %s' % (where, message))


def check_stack(rendered):
    files = rendered.files
    registry = rendered.environment.get('resource_registry', {})
    loaded = {}
    problems = Problems()
    for name, text in files.items():
        if name.endswith('.yaml'):
            loaded[name] = yaml.safe_load(text)

    def target(rtype):
        mapped = registry.get(rtype, rtype)
        if mapped in loaded:
            return loaded[mapped]
        return None

    for name, tpl in loaded.items():
        params = tpl.get('parameters') or {}
        resources = tpl.get('resources') or {}
        conditions = tpl.get('conditions') or {}
        for node in _walk(tpl):
            if 'get_param' in node:
                ref = _head(node['get_param'])
                if ref not in params:
                    problems.add(name, 'get_param of undeclared %s' % ref)
            ref = node.get('get_resource')
            if ref is not None and ref not in resources:
                problems.add(name, 'get_resource of missing %s' % ref)
            if 'get_attr' in node:
                ref = node['get_attr'][0]
                if ref not in resources:
                    problems.add(name, 'get_attr of missing %s' % ref)
            if 'get_file' in node and node['get_file'] not in files:
                problems.add(name, 'get_file of unsent %s' % node['get_file'])
            if 'if' in node and isinstance(node['if'], list):
                cond = node['if'][0]
                if isinstance(cond, str) and cond not in conditions:
                    problems.add(name, 'if on unknown condition %s' % cond)
        for rname, res in resources.items():
            where = '%s/%s' % (name, rname)
            cond = res.get('condition')
            if isinstance(cond, str) and cond not in conditions:
                problems.add(where, 'unknown condition %s' % cond)
            _check_type(where, res['type'], res.get('properties') or {},
                        registry, loaded, problems)
            if res['type'] == 'OS::Heat::ResourceGroup':
                rdef = res['properties']['resource_def']
                _check_type(where + '[def]', rdef['type'],
                            rdef.get('properties') or {}, registry, loaded,
                            problems)
        for node in _walk(tpl):
            if 'get_attr' in node:
                _check_attr(name, node['get_attr'], resources, registry,
                            loaded, problems)
    main = loaded[rendered.template]
    declared = main.get('parameters') or {}
    for pname in rendered.parameters:
        if pname not in declared:
            problems.add(rendered.template, 'renders undeclared parameter %s'
                         % pname)
    for pname, pdef in declared.items():
        if 'default' not in pdef and pname not in rendered.parameters:
            problems.add(rendered.template, 'required parameter %s not given'
                         % pname)
    return problems


def _resolve(rtype, registry):
    return registry.get(rtype, rtype)


def _check_type(where, rtype, properties, registry, loaded, problems):
    mapped = _resolve(rtype, registry)
    if mapped.endswith('.yaml'):
        if mapped not in loaded:
            problems.add(where, '%s maps to unsent %s' % (rtype, mapped))
            return
        nested = loaded[mapped].get('parameters') or {}
        for prop in properties:
            if prop not in nested:
                problems.add(where, '%s does not declare %s' % (mapped, prop))
        for pname, pdef in nested.items():
            if 'default' not in pdef and pname not in properties:
                problems.add(where, '%s needs %s' % (mapped, pname))
    elif not mapped.startswith(HEAT_TYPES):
        problems.add(where, 'type %s is not mapped' % rtype)


def _check_attr(name, ref, resources, registry, loaded, problems):
    res = resources.get(ref[0])
    if res is None or len(ref) < 2 or not isinstance(ref[1], str):
        return
    rtype, attr = res['type'], ref[1]
    if rtype == 'OS::Heat::ResourceGroup':
        rtype = res['properties']['resource_def']['type']
        if attr.startswith('resource.'):
            attr = attr.split('.', 2)[2] if attr.count('.') >= 2 else None
        if attr is None:
            return
    mapped = _resolve(rtype, registry)
    if mapped in loaded:
        outputs = loaded[mapped].get('outputs') or {}
        if attr not in outputs:
            problems.add(name, 'get_attr %s: %s has no output %s'
                         % (ref[0], mapped, attr))
