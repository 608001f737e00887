import type { ServiceFactory } from './index.js';

export const vpcService: ServiceFactory = () => ({ routes: [] });
