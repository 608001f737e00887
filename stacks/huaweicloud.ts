/** The generated Huawei Cloud bindings this project uses (see stacks/provider/used-types.json). */
export { HuaweicloudProvider } from './.gen/providers/huaweicloud/provider';
export { Vpc } from './.gen/providers/huaweicloud/vpc';
export { VpcSubnet } from './.gen/providers/huaweicloud/vpc-subnet';
export { VpcEip } from './.gen/providers/huaweicloud/vpc-eip';
export { NetworkingSecgroup } from './.gen/providers/huaweicloud/networking-secgroup';
export { NetworkingSecgroupRule } from './.gen/providers/huaweicloud/networking-secgroup-rule';
export { ComputeInstance } from './.gen/providers/huaweicloud/compute-instance';
export { ComputeEipAssociate } from './.gen/providers/huaweicloud/compute-eip-associate';
export { ImsEcsSystemImage } from './.gen/providers/huaweicloud/ims-ecs-system-image';
export { ImagesImageCopy } from './.gen/providers/huaweicloud/images-image-copy';
export { DataHuaweicloudImagesImage } from './.gen/providers/huaweicloud/data-huaweicloud-images-image';
export { DataHuaweicloudAvailabilityZones } from './.gen/providers/huaweicloud/data-huaweicloud-availability-zones';
export { DataHuaweicloudComputeFlavors } from './.gen/providers/huaweicloud/data-huaweicloud-compute-flavors';
export { DataHuaweicloudKoogalleryAssets } from './.gen/providers/huaweicloud/data-huaweicloud-koogallery-assets';
export { DataHuaweicloudVpc } from './.gen/providers/huaweicloud/data-huaweicloud-vpc';
export { DataHuaweicloudVpcSubnet } from './.gen/providers/huaweicloud/data-huaweicloud-vpc-subnet';
