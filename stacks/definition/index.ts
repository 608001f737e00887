import type { ImageDefinitionInput } from './schema.js';

/**
 * Declares an image product. The definition is validated (with the file name in every error)
 * when the factory loads it, so this function only gives the merchant types and completion.
 */
export function defineImage(definition: ImageDefinitionInput): ImageDefinitionInput {
  return definition;
}
