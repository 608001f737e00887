/**
 * The CDKTF app entry point (cdktf.json "app"): `cdktf synth`, `cdktf deploy nginx-builder`.
 * Loads and validates every image under images/, then synthesizes its stacks.
 */
import { join } from 'node:path';
import { createFactoryApp } from './app.js';
import { loadAllImages } from './definition/load.js';
import { buildContextFromEnv } from './build-context.js';
import { endpointOverrideFromEnv } from './endpoint.js';
import { isUserError } from './errors.js';

try {
  const images = await loadAllImages(join(process.cwd(), 'images'));
  const { app } = createFactoryApp({ images, context: buildContextFromEnv(), endpoint: endpointOverrideFromEnv() });
  app.synth();
} catch (err) {
  if (!isUserError(err)) throw err;
  console.error(err.message);
  process.exit(1);
}
