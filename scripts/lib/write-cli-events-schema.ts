/** `npm run schemas`: rewrites scripts/lib/cli-events.schema.json from the zod schemas in json-events.ts. */
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './fs.js';
import { cliEventsJsonSchema } from './json-events.js';

export const CLI_EVENTS_SCHEMA_FILE = fileURLToPath(new URL('./cli-events.schema.json', import.meta.url));
export const cliEventsSchemaText = (): string => `${JSON.stringify(cliEventsJsonSchema(), null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileAtomic(CLI_EVENTS_SCHEMA_FILE, cliEventsSchemaText());
  console.log(`wrote ${CLI_EVENTS_SCHEMA_FILE}`);
}
