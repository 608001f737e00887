/** Runs the provider check once for the whole tier and hands the answer to every test file. */
import type { TestProject } from 'vitest/node';
import { checkProvider } from './provider.js';

export default function setup(project: TestProject): void {
  const check = checkProvider();
  if (!check.ready) console.log(`e2e: skipped: ${check.reason}`);
  project.provide('e2eProvider', check);
}
