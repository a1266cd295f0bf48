"""Random default names such as ``theta-21-template``."""
import random

GREEK = ('alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta',
         'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'omicron', 'pi', 'rho',
         'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega')


def generate(kind):
    return '%s-%d-%s' % (random.choice(GREEK), random.randint(1, 24), kind)
