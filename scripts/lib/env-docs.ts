/**
 * The environment variables the CLI reads, in words, for `--help`. A command's spec names the
 * ones it reads; the keys are the only names it can name.
 */
export const ENV_DOCS = {
  HW_ACCESS_KEY: 'Huawei Cloud access key ID (required). Credentials come from the environment only, never from a file.',
  HW_SECRET_KEY: 'Huawei Cloud secret access key (required).',
  HW_SECURITY_TOKEN: 'Security token of a temporary access key (optional).',
  HW_PROJECT_ID: 'Project ID of HW_REGION_NAME (optional); other regions\' projects are looked up through IAM.',
  HW_REGION_NAME: 'The region HW_PROJECT_ID belongs to; also the OBS state bucket\'s region when IMAGE_FACTORY_STATE_REGION is unset.',
  HW_DOMAIN_ID: 'Account (domain) ID, for the agency check; looked up through IAM when unset.',
  IMAGE_FACTORY_PROXY: 'An HTTPS proxy (http://host:port) through which every Huawei Cloud call goes, the factory\'s and Terraform\'s; e.g. the emulator\'s.',
  IMAGE_FACTORY_PROXY_CA: 'PEM file of the CA the proxy signs with (relative paths are read against the current folder).',
  IMAGE_FACTORY_ENDPOINT: 'One base URL for every Huawei Cloud call (e.g. a gateway or `emulator --no-proxy`); cannot copy images to other regions.',
  IMAGE_FACTORY_ENDPOINT_INSECURE: '1: do not verify the TLS certificate of IMAGE_FACTORY_ENDPOINT.',
  IMAGE_FACTORY_STATE_BUCKET: 'OBS bucket for Terraform state (same as --state-bucket); local state in .image-factory/state/ when unset.',
  IMAGE_FACTORY_STATE_REGION: 'Region of the OBS state bucket.',
  IMAGE_FACTORY_STATE_ENDPOINT: 'Endpoint URL of the OBS state bucket, when not the region\'s public one.',
  IMAGE_FACTORY_STATE_PREFIX: 'Key prefix of the state objects in the bucket (default image-factory).',
  IMAGE_FACTORY_STATE_LOCK: 'lockfile (default) or none: Terraform\'s S3 state lock.',
  IMAGE_FACTORY_STATE_DIR: 'Folder of the local Terraform state (default .image-factory/state).',
  IMAGE_FACTORY_BUILD_ID: 'Build ID to tag resources with (set by the pipeline for each stage; "manual" otherwise).',
  IMAGE_FACTORY_CI_RUN_URL: 'Link to the CI run, kept in build.json (GitHub Actions and GitLab CI are detected without it).',
  TF_CLI_CONFIG_FILE: 'Terraform CLI configuration, e.g. with a provider_installation filesystem_mirror holding huaweicloud/huaweicloud 1.97.1.',
  TF_PLUGIN_CACHE_DIR: 'Terraform\'s provider cache (default .image-factory/plugin-cache).',
  IMAGE_FACTORY_ACCEL: 'kvm or tcg: force QEMU\'s accelerator (KVM is used when it works).',
  IF_ROOTFS_CACHE: 'Folder of the cached Debian root filesystems (default $XDG_CACHE_HOME/image-factory/rootfs, or ~/.cache/image-factory/rootfs).',
} as const;

export type EnvName = keyof typeof ENV_DOCS;

/** What every command that calls Huawei Cloud reads. */
export const CLOUD_ENV: readonly EnvName[] = [
  'HW_ACCESS_KEY', 'HW_SECRET_KEY', 'HW_SECURITY_TOKEN', 'HW_PROJECT_ID', 'HW_REGION_NAME', 'HW_DOMAIN_ID',
  'IMAGE_FACTORY_PROXY', 'IMAGE_FACTORY_PROXY_CA', 'IMAGE_FACTORY_ENDPOINT', 'IMAGE_FACTORY_ENDPOINT_INSECURE',
];

/** What the commands that run Terraform read besides. */
export const TERRAFORM_ENV: readonly EnvName[] = [
  'IMAGE_FACTORY_STATE_BUCKET', 'IMAGE_FACTORY_STATE_REGION', 'IMAGE_FACTORY_STATE_ENDPOINT', 'IMAGE_FACTORY_STATE_PREFIX',
  'IMAGE_FACTORY_STATE_LOCK', 'IMAGE_FACTORY_STATE_DIR', 'TF_CLI_CONFIG_FILE', 'TF_PLUGIN_CACHE_DIR', 'IMAGE_FACTORY_CI_RUN_URL',
];
