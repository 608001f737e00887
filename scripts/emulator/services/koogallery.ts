import type { ServiceFactory } from './index.js';

export const koogalleryService: ServiceFactory = () => ({ routes: [] });
