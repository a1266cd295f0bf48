"""One virtualenv per service, installed in parallel with uv (or pip)."""

import concurrent.futures
import hashlib
import shutil
import time

from . import procs
from . import settings as S

STAMP = '.sandbox-installed'


def _fingerprint(packages):
    digest = hashlib.sha256(S.CONSTRAINTS.read_bytes())
    digest.update(' '.join(packages).encode())
    return digest.hexdigest()


def is_installed(name):
    stamp = S.venv(name) / STAMP
    return stamp.exists() and stamp.read_text() == _fingerprint(S.VENVS[name])


def _install_uv(name, path, packages):
    procs.run(['uv', 'venv', '-q', '--python', S.PYTHON, path],
              log_name='install-%s.log' % name)
    procs.run(['uv', 'pip', 'install', '--python', path / 'bin' / 'python',
               '--compile-bytecode', '-c', S.CONSTRAINTS] + packages,
              log_name='install-%s.log' % name)


def _install_pip(name, path, packages):
    procs.run([S.PYTHON, '-m', 'venv', path],
              log_name='install-%s.log' % name)
    procs.run([path / 'bin' / 'pip', 'install', '-q', '-c', S.CONSTRAINTS]
              + packages, log_name='install-%s.log' % name)


def install(name):
    """Create venv-<name> unless an identical install is already there."""
    if is_installed(name):
        return 0.0
    started = time.time()
    path = S.venv(name)
    shutil.rmtree(path, ignore_errors=True)
    packages = S.VENVS[name]
    use_uv = S.INSTALLER == 'uv' and shutil.which('uv')
    (_install_uv if use_uv else _install_pip)(name, path, packages)
    (path / STAMP).write_text(_fingerprint(packages))
    took = time.time() - started
    procs.log('installed venv-%s in %.1fs' % (name, took))
    return took


def install_all():
    with concurrent.futures.ThreadPoolExecutor(len(S.VENVS)) as pool:
        for future in [pool.submit(install, n) for n in S.VENVS]:
            future.result()
