"""Exceptions that cross layers (API, conductor, RPC).

Every class carries the HTTP status the API answers with (``code``) and a
message template filled from keyword arguments. The RPC layer re-raises
these on the caller's side, so a conductor refusal reaches the user intact.
"""


class MagnumException(Exception):
    message = "An unknown exception occurred."
    code = 500

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.message % kwargs
            except (KeyError, TypeError):
                message = self.message
        self.message = str(message)
        super().__init__(self.message)

    def __str__(self):
        return self.message


# -- 400 ---------------------------------------------------------------------
class Invalid(MagnumException):
    message = "Unacceptable parameters."
    code = 400


class InvalidParameterValue(Invalid):
    message = "%(err)s"


class InvalidUUID(Invalid):
    message = "Expected a uuid but received %(uuid)s."


class InvalidName(Invalid):
    message = "Expected a name but received %(name)s."


class InvalidDiscoveryURL(Invalid):
    message = "Received invalid discovery URL '%(discovery_url)s'."


class InvalidCsr(Invalid):
    message = "Received invalid csr %(csr)s."


class InvalidLabels(Invalid):
    message = "%(err)s"


class PatchError(Invalid):
    message = "Couldn't apply patch '%(patch)s'. Reason: %(reason)s"


class ClusterTemplateReferenced(Invalid):
    message = ("ClusterTemplate %(clustertemplate)s is referenced by one or "
               "multiple clusters.")


class NotSupported(MagnumException):
    message = "%(operation)s is not supported."
    code = 400


class ClusterTypeNotSupported(NotSupported):
    message = ("Cluster type (%(server_type)s, %(os)s, %(coe)s) not "
               "supported. Supported types: %(supported)s.")


class ClusterTypeBetaNotEnabled(NotSupported):
    message = ("Cluster type (%(server_type)s, %(os)s, %(coe)s) is a beta "
               "driver that is not enabled in [drivers] enabled_beta_drivers.")


class ClusterDriverNotSupported(NotSupported):
    message = "Cluster driver (%(driver_name)s) not supported."


class MasterNGResizeNotSupported(NotSupported):
    message = "Resizing the master nodegroup is not supported by this driver."


class ZeroNodeCountNotSupported(NotSupported):
    message = ("Resizing a nodegroup to zero is not supported in the "
               "provided microversion.")


class FlavorZeroRootVolumeNotSupported(NotSupported):
    message = ("Flavor with zero root volume size is not supported when "
               "boot_volume_size is zero.")


class ClusterUpgradeNotSupported(NotSupported):
    message = "Cluster upgrade is not supported in the provided microversion."


class DeletingDefaultNGNotSupported(NotSupported):
    message = "Deleting a default nodegroup is not supported."


class CreateMasterNodeGroup(NotSupported):
    message = "Creating master nodegroups is currently not supported."


class MasterNGSizeInvalid(Invalid):
    message = ("master nodegroup size of %(requested_size)s is invalid, "
               "size cannot be an even number.")


class NGResizeOutBounds(Invalid):
    message = ("Resizing %(nodegroup)s outside the allowed range: "
               "min_node_count = %(min_nc)s, max_node_count = %(max_nc)s")


class CertificateValidationError(Invalid):
    message = "Extension '%(extension)s' not allowed"


class OperationInProgress(Invalid):
    message = ("Cluster %(cluster_name)s already has an operation in "
               "progress.")


class RequiredParameterNotProvided(Invalid):
    message = "Required parameter %(heat_param)s not provided."


class ImageNotFound(Invalid):
    message = "Image %(image_id)s could not be found."


class OSDistroFieldNotFound(Invalid):
    message = "Image %(image_id)s doesn't contain os_distro field."


class FlavorNotFound(Invalid):
    message = "Unable to find flavor %(flavor)s."


class FixedNetworkNotFound(Invalid):
    message = "Unable to find fixed network %(network)s."


class FixedSubnetNotFound(Invalid):
    message = "Unable to find fixed subnet %(subnet)s."


class ExternalNetworkNotFound(Invalid):
    message = "Unable to find external network %(network)s."


class VolumeTypeNotFound(Invalid):
    message = "Valid volume types could not be found in cinder."


# -- 403 ---------------------------------------------------------------------
class NotAuthorized(MagnumException):
    message = "Not authorized."
    code = 403


class PolicyNotAuthorized(NotAuthorized):
    message = "Policy doesn't allow %(action)s to be performed."


class ClusterTemplatePublishDenied(NotAuthorized):
    message = ("Not authorized to set public or hidden flag for cluster "
               "template.")


class ImageNotAuthorized(NotAuthorized):
    message = "Not authorized for image %(image_id)s."


class ResourceLimitExceeded(NotAuthorized):
    message = "Resource limit exceeded: %(msg)s"


class AuthorizationFailure(NotAuthorized):
    message = "%(client)s connection failed. %(message)s"


# -- 404 ---------------------------------------------------------------------
class ResourceNotFound(MagnumException):
    message = "The %(name)s resource %(id)s could not be found."
    code = 404


class ClusterNotFound(ResourceNotFound):
    message = "Cluster %(cluster)s could not be found."


class ClusterTemplateNotFound(ResourceNotFound):
    message = "ClusterTemplate %(clustertemplate)s could not be found."


class NodeGroupNotFound(ResourceNotFound):
    message = "Nodegroup %(nodegroup)s could not be found."


class QuotaNotFound(ResourceNotFound):
    message = "Quota %(msg)s could not be found."


class ProjectNotFound(ResourceNotFound):
    message = "The project_id %(name)s could not be found."


class KeyPairNotFound(ResourceNotFound):
    message = "Unable to find keypair %(keypair)s."


class X509KeyPairNotFound(ResourceNotFound):
    message = "A key pair %(x509keypair)s could not be found."


class MagnumServiceNotFound(ResourceNotFound):
    message = "A magnum service %(magnum_service_id)s could not be found."


# -- 409 ---------------------------------------------------------------------
class Conflict(MagnumException):
    message = "Conflict."
    code = 409


class ClusterAlreadyExists(Conflict):
    message = "A cluster with UUID %(uuid)s already exists."


class ClusterTemplateAlreadyExists(Conflict):
    message = "A ClusterTemplate with UUID %(uuid)s already exists."


class QuotaAlreadyExists(Conflict):
    message = ("Quota for project %(project_id)s already exists for "
               "resource %(resource)s.")


class NodeGroupAlreadyExists(Conflict):
    message = ("A node group with name %(name)s already exists in the "
               "cluster %(cluster_id)s.")


class NodeGroupInvalidInput(Conflict):
    message = "%(attr)s for %(nodegroup)s is invalid (%(expl)s)."


class InvalidClusterTemplateForUpgrade(Conflict):
    message = "Cluster Template is not valid for upgrade: %(reason)s"


class ClusterAPIAddressUnavailable(Conflict):
    message = "Cluster API address is not available yet"


class ClusterBusy(Conflict):
    message = ("Cluster %(cluster)s is busy with another operation "
               "(%(holder)s); try again when it finishes.")


class X509KeyPairAlreadyExists(Conflict):
    message = "A X509 KeyPair with UUID %(uuid)s already exists."


class MagnumServiceAlreadyExists(Conflict):
    message = "A magnum service with ID %(id)s already exists."


# -- 500 ---------------------------------------------------------------------
class CertificatesToClusterFailed(MagnumException):
    message = "Failed to create certificates for Cluster: %(cluster_uuid)s"


class ConfigInvalid(MagnumException):
    message = "Invalid configuration file. %(error_msg)s"


class OpenStackRequestFailed(MagnumException):
    message = "The %(service)s request failed: %(reason)s"
    code = 503


class ConductorUnavailable(MagnumException):
    message = "No conductor answered the %(method)s request in time."
    code = 503
