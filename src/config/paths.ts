// Where costctl's own files live (bundled catalog, fixtures), whether run from src/ (tests) or dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'costctl') {
      root = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the costctl package root');
    dir = parent;
  }
}

/** LiteLLM's public catalog, bundled so `init` and `demo` work offline. */
export function bundledCatalogPath(): string {
  return join(packageRoot(), 'fixtures', 'pricing', 'litellm-model-prices.json');
}

/** Langfuse's built-in prices, bundled as a third opinion for `models diff`. */
export function bundledLangfusePath(): string {
  return join(packageRoot(), 'fixtures', 'pricing', 'langfuse-default-model-prices.json');
}

/** genai-prices' catalog, bundled for the models and dated prices LiteLLM's older copy lacks. */
export function bundledGenaiPricesPath(): string {
  return join(packageRoot(), 'fixtures', 'pricing', 'genai-prices-data.json');
}
