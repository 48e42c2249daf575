import type { Disposable } from './disposable';

/** A typed event source: listeners are removed through the Disposable `on` returns. */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(event: T) => void>();

  on(listener: (event: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        // A broken listener (a front end's bug) must not take the engine down.
        process.emitWarning(`hotreload: event listener failed: ${String(err)}`);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
