import type { ServiceFactory } from './index.js';

export const eipService: ServiceFactory = () => ({ routes: [] });
