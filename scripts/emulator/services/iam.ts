import type { ServiceFactory } from './index.js';

export const iamService: ServiceFactory = () => ({ routes: [] });
