/**
 * Node module hooks that let the patient scripts run the project's TypeScript sources directly (Node 20
 * has no type stripping): `.ts` files are transpiled with the repository's `typescript` (no type check;
 * `pnpm typecheck` does that), and a relative `./x.js` import from a `.ts` file finds `./x.ts`, as
 * NodeNext resolution does at compile time. Registered by write-test-patients.mjs.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Maps `./x.js` imported from TypeScript to `./x.ts` when only the source exists. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const asJs = new URL(specifier, context.parentURL);
    const asTs = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (!existsSync(fileURLToPath(asJs)) && existsSync(fileURLToPath(asTs))) return { url: asTs.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

/** Transpiles `.ts` to an ES module. */
export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, 'utf8'), {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true, sourceMap: false },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
