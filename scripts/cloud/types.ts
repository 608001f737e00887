/**
 * The cloud as the pipeline sees it: small interfaces, implemented by Terraform (stacks) and
 * signed Huawei Cloud API calls (the rest). Simulations point the same clients at the emulator
 * (scripts/emulator/) and swap only Terraform for its applier. Nothing here carries credentials.
 */
import { TEMPORARY_RESOURCES, type TemporaryResourceKind } from '../../stacks/constructs/temporary.js';

export interface Placement {
  readonly flavor: string;
  readonly availabilityZone?: string;
}

export interface GuestOutputs {
  readonly instanceId: string;
  readonly flavor?: string;
  readonly availabilityZone?: string;
}

export interface BuilderOutputs extends GuestOutputs {
  readonly sourceImageId: string;
  readonly sourceImageName: string;
}

export type CopyEvent =
  | { region: string; status: 'start' }
  | { region: string; status: 'done'; imageId: string }
  | { region: string; status: 'failed'; error: string };

export interface CopyRequest {
  /** The captured private image in the build region (the copy stacks' `source_image_id`). */
  readonly sourceImageId: string;
  /** Regions to copy to now (new ones, failed ones to retry), in the order to start them. */
  readonly pending: readonly string[];
  /** At most this many copies run at once (IMS: 5 cross-region copies per tenant). */
  readonly parallelism: number;
  readonly onEvent: (event: CopyEvent) => void;
  readonly signal?: AbortSignal;
  /**
   * Once aborted, no further copy starts; the running ones end as they would (IMS cannot cancel
   * a copy job, and an apply cut short would leave its copy outside the state).
   */
  readonly stopStarting?: AbortSignal;
}

/**
 * Deploys and destroys one image's stacks (`<image>-builder`, `<image>-release`,
 * `<image>-copy-<region>`, `<image>-tester`).
 * Every method is idempotent, like `terraform apply`: deploying what exists changes nothing.
 */
export interface StackDeployer {
  deployBuilder(opts: { placement?: Placement; signal?: AbortSignal }): Promise<BuilderOutputs>;
  destroyBuilder(): Promise<void>;
  /** Applies the release stack: the image captured from the stopped builder. */
  captureImage(opts: { builderInstanceId: string; signal?: AbortSignal }): Promise<{ imageId: string; imageName: string }>;
  deployTester(opts: { imageId: string; placement?: Placement; signal?: AbortSignal }): Promise<GuestOutputs>;
  destroyTester(): Promise<void>;
  /**
   * The ECS servers the builder's or tester's state holds (tainted ones too): a retried apply
   * deletes only servers of the build that no state holds (a create whose answer was lost).
   */
  trackedServers(kind: 'builder' | 'tester'): Promise<string[]>;
  /** Applies each pending region's copy stack (copy-pool.ts); reports each region as it starts and ends. */
  deployCopies(request: CopyRequest): Promise<Record<string, { imageId?: string; error?: string }>>;
  /**
   * Destroys the copy stacks of `regions` (their copied images), e.g. the copies of an image that
   * failed its boot test. Returns each region it could not destroy, with the reason.
   */
  destroyCopies(regions: readonly string[], sourceImageId: string): Promise<Record<string, string>>;
  /**
   * Why this deployer cannot copy to `regions` at all (one line with the fix), checked before
   * anything is created; undefined when it can.
   */
  copyRefusal?(regions: readonly string[]): string | undefined;
  /** What the deployer itself needs (Terraform and its provider), checked in preflight; throws a UserError. */
  preflight?(): Promise<void>;
}

/** ECS server status names as the ECS API returns them. */
export type ServerStatus = 'BUILD' | 'ACTIVE' | 'SHUTOFF' | 'ERROR' | 'REBOOT' | 'HARD_REBOOT' | 'DELETED' | 'UNKNOWN' | (string & {});

/**
 * Serial console lines read per poll, by the guest follower and the ECS client alike: enough
 * for every protocol line of a long install between two polls (step lines already seen are
 * remembered, so only what was printed since the last poll must fit).
 */
export const CONSOLE_LINES = 500;

export interface EcsClient {
  /** ShowServer: status (and the task state when the API reports one). */
  getServer(serverId: string, region: string): Promise<{ status: ServerStatus; taskState?: string; fault?: string }>;
  /** BatchStopServers with a soft stop (the guest gets an ACPI shutdown). */
  stopServer(serverId: string, region: string): Promise<void>;
  /** ShowServerConsoleOutput: the last `length` lines of the serial console. */
  consoleOutput(serverId: string, region: string, length: number): Promise<string>;
}

/** Read-only checks preflight makes before anything is paid for. */
export interface PreflightClient {
  /** Private images in the region and the account's quota there (IMS ShowImageQuota). */
  privateImageUsage(region: string): Promise<{ used: number; quota: number }>;
  agencyExists(name: string): Promise<boolean>;
  /** The first flavor of the list on sale in some AZ of the region, with that AZ. */
  findPlacement(region: string, flavors: readonly string[]): Promise<Placement | undefined>;
  /** Private images tagged with this product and version (a build done elsewhere). */
  findVersionImages(region: string, product: string, version: string): Promise<{ id: string; name: string }[]>;
  /** Private images tagged with this build's ID, or, given `name`, named so (what a create whose answer was lost may have made). */
  findBuildImages(region: string, buildId: string, name?: string): Promise<ListedImage[]>;
}

/** A private image as IMS ListImages shows it. */
export interface ListedImage {
  readonly id: string;
  readonly name: string;
  /** queued, saving, active, killed, deleted. */
  readonly status: string;
  readonly createdAt?: string;
}

/** What sweep finds and deletes: the temporary resources the stacks create (stacks/constructs/temporary.ts). */
export type TaggedResourceType = TemporaryResourceKind;

/** Deletion order: what depends on a resource goes first. */
export const DELETE_ORDER: readonly TaggedResourceType[] = TEMPORARY_RESOURCES.map((r) => r.kind);

export interface TaggedResource {
  readonly type: TaggedResourceType;
  readonly id: string;
  readonly name?: string;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Needed to delete a subnet (VPC API path). */
  readonly vpcId?: string;
}

export interface TaggedImage {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Finds and deletes the factory's temporary resources in a region (sweep). */
export interface ResourceSweeper {
  listTagged(region: string, tagKey: string): Promise<TaggedResource[]>;
  /**
   * The build's network resources found by their names (stacks/constructs/build-network.ts
   * isBuildNetworkName), tagged or not: a create whose tag call never came leaves one untagged.
   */
  listNamedForBuild(region: string, buildId: string): Promise<TaggedResource[]>;
  /** Asks for the deletion; ECS deletion is asynchronous (the server stays a while after this returns). */
  deleteResource(resource: TaggedResource): Promise<void>;
  /** Whether a server whose deletion was asked for is gone (its network can be deleted then). */
  serverGone(resource: TaggedResource): Promise<boolean>;
  /** The region's private images carrying the factory's build tag, with their tags (IMS ListImages, then each image's tags). */
  listFactoryImages(region: string): Promise<TaggedImage[]>;
  /** Deletes a private image no Terraform state holds (an adopted copy); one already gone is no error. */
  deleteImage(region: string, imageId: string): Promise<void>;
}

/** Everything the pipeline needs from the cloud, for one image. */
export interface Cloud {
  readonly deployer: StackDeployer;
  readonly ecs: EcsClient;
  readonly preflight: PreflightClient;
  readonly sweeper: ResourceSweeper;
}
