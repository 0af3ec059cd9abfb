/**
 * The platform filter of a matrix page, handed from the route to the matrix
 * facts. Object pages render from a `PageContext` alone, so the route attaches
 * the filtered matrix to the context here and `renderMatrixFacts` looks it up.
 */
import type { PageContext } from '../page-context.js';
import type { MatrixModel } from './matrix-model.js';

export interface MatrixView {
  /** The matrix before filtering, for the platform choices and the totals. */
  full: MatrixModel;
  /** The matrix as shown: `full` filtered by `platform`, or `full` itself. */
  shown: MatrixModel;
  /** The active platform filter, spelled as in the data, or undefined for all platforms. */
  platform: string | undefined;
  /** Path the filter form submits to. */
  path: string;
}

const views = new WeakMap<PageContext, MatrixView>();

export function attachMatrixView(context: PageContext, view: MatrixView): void {
  views.set(context, view);
}

/** The view attached by a route that supports the platform filter, or undefined. */
export function attachedMatrixView(context: PageContext): MatrixView | undefined {
  return views.get(context);
}
