/**
 * Huawei Cloud credentials, from the environment only (the provider's own variables), so
 * they never reach a file, a log line, a checkpoint or a build record.
 */
import { UserError } from '../../stacks/errors.js';

export interface Credentials {
  readonly accessKey: string;
  readonly secretKey: string;
  /** HW_SECURITY_TOKEN, for temporary credentials. */
  readonly securityToken?: string;
  /** HW_PROJECT_ID: the project of HW_REGION_NAME; other regions' projects are looked up via IAM. */
  readonly projectId?: string;
  readonly projectRegion?: string;
  /** HW_DOMAIN_ID: the account, for IAM agency lookups; looked up when absent. */
  readonly domainId?: string;
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const missing = ['HW_ACCESS_KEY', 'HW_SECRET_KEY'].filter((k) => !env[k]?.trim());
  if (missing.length) {
    throw new UserError(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: export the access key pair of an IAM user allowed to use ECS, IMS and VPC (in CI, from secrets) and run again`);
  }
  return {
    accessKey: env.HW_ACCESS_KEY!.trim(),
    secretKey: env.HW_SECRET_KEY!.trim(),
    securityToken: env.HW_SECURITY_TOKEN?.trim() || undefined,
    projectId: env.HW_PROJECT_ID?.trim() || undefined,
    projectRegion: env.HW_REGION_NAME?.trim() || undefined,
    domainId: env.HW_DOMAIN_ID?.trim() || undefined,
  };
}
