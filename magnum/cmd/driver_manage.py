"""magnum-driver-manage: inspect the installed cluster drivers.

    magnum-driver-manage [--config-file F] list-drivers [-d] [-p]
"""
import argparse
import sys

import magnum.conf
from magnum.drivers import loader

CONF = magnum.conf.CONF


def _table(headers, rows):
    widths = [max(len(str(c)) for c in column)
              for column in zip(headers, *rows)]
    line = '+' + '+'.join('-' * (w + 2) for w in widths) + '+'
    fmt = '| ' + ' | '.join('{:<%d}' % w for w in widths) + ' |'
    out = [line, fmt.format(*headers), line]
    out += [fmt.format(*(str(c) for c in row)) for row in rows]
    out.append(line)
    return '\n'.join(out)


def list_drivers(registry, details=False, paths=False):
    headers = ['Name', 'Active', 'Version']
    if details:
        headers += ['Type']
    if paths:
        headers += ['Path']
    rows = []
    for name in registry.names():
        driver = registry.by_name[name]
        info = driver.describe()
        active = 'beta' if driver.beta and (
            name not in CONF.drivers.enabled_beta_drivers) else 'yes'
        base = [name, active, info.get('version') or '']
        provides = info['provides'] or [{}]
        for i, provided in enumerate(provides):
            row = list(base) if i == 0 else ['', '', '']
            if details:
                row.append('(%s, %s, %s)' % (provided.get('server_type'),
                                             provided.get('os'),
                                             provided.get('coe'))
                           if provided else '')
            if paths:
                row.append(', '.join(info.get('templates', ())) if i == 0
                           else '')
            rows.append(row)
    return _table(headers, rows)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog='magnum-driver-manage')
    parser.add_argument('--config-file', action='append', default=[])
    commands = parser.add_subparsers(dest='command', required=True)
    listing = commands.add_parser('list-drivers',
                                  help='List the loaded cluster drivers.')
    listing.add_argument('-d', '--details', action='store_true',
                         help='Show the cluster types each one provides.')
    listing.add_argument('-p', '--paths', action='store_true',
                         help='Show where their templates are.')
    args = parser.parse_args(argv)
    CONF([], project='magnum', default_config_files=args.config_file or None)
    print(list_drivers(loader.registry(), args.details, args.paths))
    return 0


if __name__ == '__main__':
    sys.exit(main())
