/** What a drawn node can ask the explorer to do; one stable object per explorer, given to nodes by context. */
import { createContext } from 'react';
import type { Direction } from './graph-model';

export interface ExplorerActions {
  expand(id: string, direction: Direction): void;
  columns(id: string): void;
  column(fieldId: string): void;
  box(id: string): void;
  /** The node is drawn with its counts: fetch them if not known yet. */
  counts(id: string): void;
}

export const ExplorerActionsContext = createContext<ExplorerActions>({ expand() {}, columns() {}, column() {}, box() {}, counts() {} });
