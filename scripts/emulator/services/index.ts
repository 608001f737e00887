/** Every service the emulator serves; each module registers its routes, job finishers and region seeds. */
import type { Account } from '../account.js';
import type { Jobs } from '../jobs.js';
import type { ServiceModule } from '../types.js';
import { ecsService } from './ecs.js';
import { eipService } from './eip.js';
import { iamService } from './iam.js';
import { imsService } from './ims.js';
import { koogalleryService } from './koogallery.js';
import { vpcService } from './vpc.js';

export type ServiceFactory = (jobs: Jobs, account: Account) => ServiceModule;

export function serviceModules(jobs: Jobs, account: Account): ServiceModule[] {
  return [iamService, vpcService, eipService, ecsService, imsService, koogalleryService].map((make) => make(jobs, account));
}
