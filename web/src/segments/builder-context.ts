/** What every row of the builder needs: the catalog, other segments, API errors by path, edits. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Catalog, Segment } from '../api/types';
import type { DraftNode } from './model';

export interface BuilderContext {
  catalog: Catalog;
  /** Segments an in_segment condition may point at (the edited one excluded). */
  segments: Segment[];
  /** Messages by API path: the server's validation errors and local "still needed" notes. */
  errors: Record<string, string>;
  /** Paths whose local issue should show now (touched by the merchant). */
  update: (key: number, fn: (n: DraftNode) => DraftNode | null) => void;
  maxDepth: number;
}

export const Builder = createContext<BuilderContext | null>(null);

export function useBuilder(): BuilderContext {
  const ctx = useContext(Builder);
  if (!ctx) throw new Error('useBuilder outside <Builder.Provider>');
  return ctx;
}
