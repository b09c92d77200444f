import type * as vscode from 'vscode';

/**
 * What one object owns and releases together: disposed once, newest first, and anything added after that is
 * disposed at once (a listener registered during shutdown must not outlive its owner).
 */
export class DisposableStore implements vscode.Disposable {
  private readonly items: vscode.Disposable[] = [];
  private disposed = false;

  add<T extends vscode.Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  /** Disposes every item even when one throws; the first error is thrown after all are done. */
  dispose(): void {
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length) throw errors[0];
  }
}
