import type { ModelSpec, PriceSpec } from '../catalog.js';

export interface CatalogEntry {
  model: ModelSpec;
  price: Omit<PriceSpec, 'effectiveFrom'>;
  /** Where the entry came from, for error messages: `key "gpt-4o"` or `line 7`. */
  place: string;
}

export interface ParsedCatalog {
  entries: CatalogEntry[];
  skipped: { name: string; reason: string }[];
  /** Problems that make the file unusable; when any exist nothing is imported. */
  errors: string[];
}
