import { Construct } from 'constructs';
import { ComputeInstance } from '../huaweicloud.js';
import type { BuildNetwork } from './build-network.js';

export interface SealedInstanceProps {
  readonly name: string;
  readonly imageId: string;
  readonly flavor: string;
  /** @default - the region picks an availability zone */
  readonly availabilityZone?: string;
  readonly network: BuildNetwork;
  readonly systemDiskType: string;
  readonly systemDiskSizeGiB: number;
  /** base64 of the gzip-compressed cloud-config. */
  readonly userData: string;
  readonly tags: Record<string, string>;
}

/**
 * A pay-per-use ECS nobody can log in to: no key pair, no password, no inbound rule.
 * It runs its user_data, reports on the serial console and powers itself off.
 */
export class SealedInstance extends Construct {
  public readonly instance: ComputeInstance;

  constructor(scope: Construct, id: string, props: SealedInstanceProps) {
    super(scope, id);
    this.instance = new ComputeInstance(this, 'ecs', {
      name: props.name,
      imageId: props.imageId,
      flavorId: props.flavor,
      availabilityZone: props.availabilityZone,
      securityGroupIds: [props.network.securityGroup.id],
      network: [{ uuid: props.network.subnet.id }],
      eipId: props.network.eip?.id,
      // The EIP is the network's own resource: Terraform releases it after the server. Left to
      // its default (true), ECS would release it with the server, and the destroy would then
      // find it gone ("Resource not found").
      ...(props.network.eip ? { deleteEipOnTermination: false } : {}),
      systemDiskType: props.systemDiskType,
      systemDiskSize: props.systemDiskSizeGiB,
      deleteDisksOnTermination: true,
      chargingMode: 'postPaid',
      userData: props.userData,
      tags: props.tags,
    });
  }
}
