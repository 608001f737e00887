/** The generated Huawei Cloud bindings this project uses (see stacks/provider/used-types.json). */
export { HuaweicloudProvider } from './.gen/providers/huaweicloud/provider/index.js';
export { Vpc } from './.gen/providers/huaweicloud/vpc/index.js';
export { VpcSubnet } from './.gen/providers/huaweicloud/vpc-subnet/index.js';
export { VpcEip } from './.gen/providers/huaweicloud/vpc-eip/index.js';
export { NetworkingSecgroup } from './.gen/providers/huaweicloud/networking-secgroup/index.js';
export { NetworkingSecgroupRule } from './.gen/providers/huaweicloud/networking-secgroup-rule/index.js';
export { ComputeInstance } from './.gen/providers/huaweicloud/compute-instance/index.js';
export { ComputeEipAssociate } from './.gen/providers/huaweicloud/compute-eip-associate/index.js';
export { ImsEcsSystemImage } from './.gen/providers/huaweicloud/ims-ecs-system-image/index.js';
export { ImagesImageCopy } from './.gen/providers/huaweicloud/images-image-copy/index.js';
export { DataHuaweicloudImagesImage } from './.gen/providers/huaweicloud/data-huaweicloud-images-image/index.js';
export { DataHuaweicloudAvailabilityZones } from './.gen/providers/huaweicloud/data-huaweicloud-availability-zones/index.js';
export { DataHuaweicloudComputeFlavors } from './.gen/providers/huaweicloud/data-huaweicloud-compute-flavors/index.js';
export { DataHuaweicloudKoogalleryAssets } from './.gen/providers/huaweicloud/data-huaweicloud-koogallery-assets/index.js';
export { DataHuaweicloudVpc } from './.gen/providers/huaweicloud/data-huaweicloud-vpc/index.js';
export { DataHuaweicloudVpcSubnet } from './.gen/providers/huaweicloud/data-huaweicloud-vpc-subnet/index.js';
