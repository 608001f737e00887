// Inside this repository the package's own name (koogallery-image-factory, as images/*/image.ts
// imports it) resolves through Node's self-referencing to the TypeScript sources, not to the
// compiled dist-lib/ that only `npm run build` makes: every resolution gets the
// "koogallery-source" export condition (package.json "exports").
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'koogallery-source'] });
}
