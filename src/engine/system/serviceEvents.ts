/**
 * What a service says, as the system hears it: its session's events (or a plain command's output
 * and exit, as engine events) with its name on them, and when it counts as ready.
 */
import type { Disposable } from '../kernel/disposable';
import type { Emitter } from '../kernel/emitter';
import type { EngineEvent, StateEvent } from '../kernel/events';
import type { ReadySource } from './readiness';
import type { Service } from './service';

/** What a service (or, with no service, the system itself) says. */
export interface SystemEvent {
  service: string | undefined;
  event: EngineEvent;
}

/** Fires the service's events on the system's emitter, its name on each; `onState` hears its session's state events. */
export function forwardServiceEvents(s: Service, events: Emitter<SystemEvent>, onState: (event: StateEvent) => void): Disposable {
  const service = s.spec.name;
  if (s.session)
    return s.session.events.on((event) => {
      events.fire({ service, event });
      if (event.type === 'state') onState(event);
    });
  if (s.command)
    return s.command.events.on((event) => {
      if (event.type === 'output') events.fire({ service, event: { type: 'output', stream: event.stream, data: event.data, version: 1 } });
      else if (event.type === 'exited') events.fire({ service, event: { type: 'log', level: 'error', message: `${s.spec.target} ${event.how}` } });
      else events.fire({ service, event: { type: 'log', level: 'warn', message: event.message } });
    });
  return { dispose: () => undefined };
}

/** What the service's readiness is judged from, read off the system's events; disposed once judged. */
export function readinessOf(s: Service, events: Emitter<SystemEvent>): ReadySource & Disposable {
  const own = (listener: (event: SystemEvent['event']) => void) =>
    events.on(({ service, event }) => {
      if (service === s.spec.name) listener(event);
    });
  let failed!: (why: string) => void;
  let running!: () => void;
  const failure = new Promise<string>((resolve) => (failed = resolve));
  const isRunning = new Promise<void>((resolve) => (running = resolve));
  const watching = own((event) => {
    if (event.type === 'state' && event.state === 'running') running();
    if (event.type === 'state' && (event.state === 'failed' || event.state === 'crashed')) failed(event.detail ?? event.state);
    // A plain command runs once started; its exit is a log line.
    if (event.type === 'log' && event.level === 'error' && s.command) failed(event.message);
  });
  return {
    port: s.port,
    ready: s.spec.ready,
    onOutput: (listener) => own((event) => event.type === 'output' && listener(event.data)),
    failure,
    running: s.command ? Promise.resolve() : isRunning,
    crashWindowMs: s.session?.settings.crashWindowMs ?? 1000,
    dispose: () => watching.dispose(),
  };
}
