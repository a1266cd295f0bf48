from magnum.objects.cluster_template import ClusterTemplate  # noqa: F401
from magnum.objects.cluster import Cluster  # noqa: F401
from magnum.objects.nodegroup import NodeGroup  # noqa: F401
from magnum.objects.magnum_service import MagnumService  # noqa: F401
from magnum.objects.quota import Quota  # noqa: F401
