import type { ServiceFactory } from './index.js';

export const ecsService: ServiceFactory = () => ({ routes: [] });
