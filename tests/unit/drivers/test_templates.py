"""Every rendered variant is structurally a valid Heat stack."""
import pytest
import yaml

from tests.unit.drivers import hot_check
from tests.unit.drivers import variants


@pytest.mark.parametrize('variant', sorted(variants.VARIANTS))
def test_variant_is_structurally_valid(variant):
    rendered = variants.VARIANTS[variant]()
    assert hot_check.check_stack(rendered) == []


@pytest.mark.parametrize('variant', sorted(variants.VARIANTS))
def test_every_registry_target_is_sent_or_a_heat_type(variant):
    rendered = variants.VARIANTS[variant]()
    for rtype, target in rendered.environment['resource_registry'].items():
        assert target.startswith('OS::') or target in rendered.files, rtype


def test_templates_use_one_hot_version():
    rendered = variants.VARIANTS['fcos_default']()
    versions = {str(yaml.safe_load(text)['heat_template_version'])
                for name, text in rendered.files.items()
                if name.endswith('.yaml')}
    assert versions == {'2021-04-16'}


def test_checker_reports_broken_references():
    rendered = variants.VARIANTS['fcos_default']()
    broken = dict(rendered.files)
    broken['kubenode.yaml'] = broken['kubenode.yaml'].replace(
        '{get_param: pods_network_cidr}', '{get_param: pod_cidr}', 1)
    broken['kubecluster.yaml'] = broken['kubecluster.yaml'].replace(
        'subnet: {get_attr: [network, subnet]}',
        'subnet: {get_attr: [network, subnet_id]}', 1)
    problems = hot_check.check_stack(
        type(rendered)(rendered.template, broken, rendered.parameters,
                       rendered.environment))
    assert any('undeclared pod_cidr' in p for p in problems)
    assert any('no output subnet_id' in p for p in problems)


def _get_attr_targets(node):
    """The resources that ``get_attr`` reads anywhere inside ``node``."""
    if isinstance(node, dict):
        found = set()
        for key, value in node.items():
            if key == 'get_attr':
                found.add(value[0])
            found |= _get_attr_targets(value)
        return found
    if isinstance(node, list):
        return set().union(*map(_get_attr_targets, node))
    return set()


@pytest.mark.parametrize('variant', sorted(variants.VARIANTS))
def test_stack_outputs_are_cached_as_their_resources_complete(variant):
    """Heat stores a resource's output attributes when it completes only
    if another resource waits on it; outputs_cached must wait on every
    resource the main template's outputs read."""
    rendered = variants.VARIANTS[variant]()
    main = yaml.safe_load(rendered.files[rendered.template])
    waited = main['resources']['outputs_cached']['depends_on']
    assert _get_attr_targets(main['outputs']) <= set(waited)


@pytest.mark.parametrize('variant', sorted(variants.VARIANTS))
def test_no_template_uses_yaql(variant):
    """Heat's yaql parser failed one create in twenty under concurrency."""
    rendered = variants.VARIANTS[variant]()
    for name, text in rendered.files.items():
        if name.endswith('.yaml'):
            assert 'yaql' not in text, name
