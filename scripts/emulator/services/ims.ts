import type { ServiceFactory } from './index.js';

export const imsService: ServiceFactory = () => ({ routes: [] });
